package org.orleans4j.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * CPU time of the processes a workload runs in (this JVM and the far one), so a throughput figure
 * comes with what each call cost in CPU: on a shared machine calls per second swing with the
 * neighbours, the CPU a call takes much less. Read from the operating system (user plus system time
 * of every thread, garbage collection and compilation included).
 *
 * <p>On Linux the same measurement is also broken down by kind of thread ({@link ThreadUse}): where the
 * CPU of a call goes, and how often each kind of thread went to sleep per call. Each sleep is a wait
 * for another thread or for the network that a wake-up ended: the hand-offs a call costs, counted.
 */
final class CpuMeter {

    /** The processes measured, by the name the breakdown gives them. */
    private final Map<String, ProcessHandle> processes;

    private long startNanos;
    private Map<ThreadUse.Key, ThreadUse.Counts> startThreads = Map.of();
    private List<ThreadUse> lastThreads = List.of();

    private CpuMeter(Map<String, ProcessHandle> processes) {
        this.processes = processes;
    }

    /** A meter of this JVM (the caller) and of the process {@code farPid} (the far side). */
    static CpuMeter thisJvmAnd(long farPid) {
        return new CpuMeter(Map.of(
                ThreadUse.CALLER,
                ProcessHandle.current(),
                ThreadUse.FAR,
                ProcessHandle.of(farPid).orElseThrow(() -> new IllegalStateException("no process " + farPid))));
    }

    /** Starts a measurement. */
    void start() {
        startThreads = ThreadUse.read(processes);
        startNanos = totalNanos();
    }

    /**
     * Microseconds of CPU per unit of work since {@link #start}, given how many units were done; also ends the
     * measurement's breakdown by thread ({@link #threadsPer()}).
     */
    double microsPer(long units) {
        long nanos = totalNanos() - startNanos;
        lastThreads = ThreadUse.per(startThreads, ThreadUse.read(processes), units);
        return units == 0 ? Double.NaN : nanos / 1000.0 / units;
    }

    /** The last measurement by kind of thread, per unit of work; empty where threads cannot be read (not Linux). */
    List<ThreadUse> threadsPer() {
        return lastThreads;
    }

    private long totalNanos() {
        long total = 0;
        for (ProcessHandle process : processes.values()) {
            total += process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
        }
        return total;
    }
}
