package org.orleans4j.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What one kind of thread of one process spent per call (or per frame): CPU, how often it went to sleep
 * (a voluntary context switch: it parked, or waited in {@code epoll_wait}, and something had to wake it)
 * and how often it was preempted. Read from Linux's {@code /proc/<pid>/task/<tid>/stat} and {@code status};
 * CPU comes in clock ticks of 10 ms, so a kind of thread needs some 100 ms of CPU in a measurement to be
 * within 10 %.
 *
 * @param process {@link #CALLER} or {@link #FAR}
 * @param threads the kind of thread: {@code event loops}, {@code turn threads}, {@code timer}, ...
 * @param cpuMicros microseconds of CPU per call
 * @param sleeps voluntary context switches per call
 * @param preemptions involuntary context switches per call
 */
record ThreadUse(String process, String threads, double cpuMicros, double sleeps, double preemptions) {

    static final String CALLER = "caller";
    static final String FAR = "far side";

    /** Linux's USER_HZ, the unit of a thread's CPU times in {@code stat}: fixed at 100 on the platforms it runs. */
    private static final double MICROS_PER_TICK = 10_000;
    /** A kind of thread with less CPU than this per call, and fewer context switches than the next, is left out. */
    private static final double MIN_CPU_MICROS = 0.05;
    /** Context switches per call below which a kind of thread (with next to no CPU) is left out. */
    private static final double MIN_SWITCHES = 0.001;

    /** A kind of thread in a process. */
    record Key(String process, String threads) {}

    /** Totals since the threads started: CPU ticks, voluntary and involuntary context switches. */
    static final class Counts {
        long ticks;
        long sleeps;
        long preemptions;
    }

    /** The totals of every kind of thread of {@code processes} now; empty where {@code /proc} is missing. */
    static Map<Key, Counts> read(Map<String, ProcessHandle> processes) {
        Map<Key, Counts> totals = new HashMap<>();
        processes.forEach((name, process) -> {
            Path tasks = Path.of("/proc", String.valueOf(process.pid()), "task");
            if (!Files.isDirectory(tasks)) {
                return;
            }
            try (Stream<Path> threads = Files.list(tasks)) {
                threads.forEach(thread -> readThread(name, thread, totals));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not list the threads of process " + process.pid(), e);
            }
        });
        return totals;
    }

    private static void readThread(String process, Path thread, Map<Key, Counts> totals) {
        try {
            String comm = Files.readString(thread.resolve("comm")).strip();
            // The name may hold spaces and parentheses: the fields after it follow the last ')'.
            String stat = Files.readString(thread.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            Counts counts = totals.computeIfAbsent(new Key(process, kind(comm)), k -> new Counts());
            // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the name.
            counts.ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            for (String line : Files.readAllLines(thread.resolve("status"))) {
                if (line.startsWith("voluntary_ctxt_switches:")) {
                    counts.sleeps +=
                            Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                    counts.preemptions +=
                            Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                }
            }
        } catch (NoSuchFileException exited) {
            // The thread ended while the list was read: what it did is lost to the breakdown alone.
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read thread " + thread, e);
        }
    }

    /** The kind of a thread, by its name (Linux keeps the first 15 characters). */
    static String kind(String comm) {
        if (comm.startsWith("multiThreadIoEv")) {
            return "event loops";
        }
        if (comm.startsWith("orleans-turn")) {
            return "turn threads";
        }
        if (comm.startsWith("orleans-client")) {
            // A client's event loops and response threads alike: Linux keeps too little of their names to tell.
            return "client threads";
        }
        if (comm.startsWith("orleans-timer")) {
            return "timer";
        }
        if (comm.contains("CompilerThre")) {
            return "JIT compilers";
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")) {
            return "GC and VM";
        }
        if (comm.equals("main") || comm.equals("DestroyJavaVM")) {
            return "main";
        }
        return comm.replaceAll("\\d+", "N");
    }

    /**
     * What each kind of thread spent between {@code before} and {@code after}, per one of {@code units};
     * the kinds that spent next to nothing are left out, the rest come by CPU, most first.
     */
    static List<ThreadUse> per(Map<Key, Counts> before, Map<Key, Counts> after, long units) {
        List<ThreadUse> uses = new ArrayList<>();
        if (units <= 0) {
            return uses;
        }
        after.forEach((key, now) -> {
            Counts then = before.getOrDefault(key, new Counts());
            // A thread that ended in between takes its counts along: never report less than nothing.
            uses.add(new ThreadUse(
                    key.process(),
                    key.threads(),
                    Math.max(0, now.ticks - then.ticks) * MICROS_PER_TICK / units,
                    Math.max(0, now.sleeps - then.sleeps) / (double) units,
                    Math.max(0, now.preemptions - then.preemptions) / (double) units));
        });
        return significantByCpu(uses);
    }

    /**
     * The median over rounds of each kind of thread (a kind missing from a round counts as 0 there), as
     * one line per kind, leaving out the kinds whose medians are next to nothing:
     * {@code caller event loops: 1.42 us CPU, 0.0160 sleeps, 0.0020 preemptions}.
     */
    static List<String> medianLines(List<List<ThreadUse>> rounds) {
        Map<Key, double[][]> byKind = new LinkedHashMap<>();
        for (int r = 0; r < rounds.size(); r++) {
            for (ThreadUse use : rounds.get(r)) {
                double[][] values = byKind.computeIfAbsent(
                        new Key(use.process(), use.threads()), k -> new double[3][rounds.size()]);
                values[0][r] = use.cpuMicros();
                values[1][r] = use.sleeps();
                values[2][r] = use.preemptions();
            }
        }
        List<ThreadUse> medians = new ArrayList<>();
        byKind.forEach((key, values) -> medians.add(new ThreadUse(
                key.process(),
                key.threads(),
                LocalBenchmarks.median(values[0]),
                LocalBenchmarks.median(values[1]),
                LocalBenchmarks.median(values[2]))));
        return significantByCpu(medians).stream()
                .map(use -> String.format(
                        Locale.ROOT,
                        "%s %s: %.2f us CPU, %.4f sleeps, %.4f preemptions",
                        use.process(),
                        use.threads(),
                        use.cpuMicros(),
                        use.sleeps(),
                        use.preemptions()))
                .toList();
    }

    /** {@code uses} without the kinds that spent next to nothing, by CPU, most first. */
    private static List<ThreadUse> significantByCpu(List<ThreadUse> uses) {
        List<ThreadUse> significant = new ArrayList<>();
        for (ThreadUse use : uses) {
            if (use.cpuMicros() >= MIN_CPU_MICROS || use.sleeps() + use.preemptions() >= MIN_SWITCHES) {
                significant.add(use);
            }
        }
        significant.sort(Comparator.comparingDouble(ThreadUse::cpuMicros).reversed());
        return significant;
    }
}
