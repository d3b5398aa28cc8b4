package org.orleans4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloOptions;
import org.orleans4j.testing.JvmProcess;

/**
 * What an idle activation costs in memory, and how many one silo holds in a 1 GB heap. The grain is
 * the benchmark's {@link PingGrain}: a small state (one {@code long}) and one call. Each measurement
 * runs in a JVM of its own, with the run's collector ({@code -Dbench.gc}, G1 by default):
 * <ul>
 * <li>bytes per activation: heap used after full collections, before and after activating 100,000
 * (then 1,000,000) grains with one call each, divided by their number (4 GB heap);</li>
 * <li>activations in 1 GB: grains are activated 20,000 at a time until the heap used after a full
 * collection passes 90% of the 1 GB maximum, the headroom a silo needs to keep working.</li>
 * </ul>
 */
public final class ActivationMemory {

    private static final int FILL_BATCH = 20_000;
    private static final double FILL_LIMIT = 0.9;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("measure")) {
            measure(Integer.parseInt(args[1]));
            return;
        }
        if (args.length > 0 && args[0].equals("fill")) {
            fill();
            return;
        }
        System.out.printf(
                Locale.ROOT,
                "Activation memory: %d cores, %s %s, %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                CrossSiloBenchmarks.collectorOption());
        Path dir = Files.createTempDirectory("orleans-memory");
        for (int count : new int[] {100_000, 1_000_000}) {
            MatchResult result = child(dir, "-Xmx4g", Pattern.compile("RESULT (.*)"), "measure", String.valueOf(count));
            System.out.println(result.group(1));
        }
        MatchResult held = child(dir, "-Xmx1g", Pattern.compile("HELD (.*)"), "fill");
        System.out.println(held.group(1));
    }

    private static MatchResult child(Path dir, String heap, Pattern answer, String... args) {
        try (JvmProcess process = JvmProcess.builder(ActivationMemory.class.getName())
                .name("activation-memory")
                .jvmOptions(
                        heap, CrossSiloBenchmarks.collectorOption(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .args(args)
                .logFile(dir.resolve("memory-" + String.join("-", args) + ".log"))
                .build()
                .start()) {
            return process.awaitLogLine(answer, Duration.ofMinutes(10));
        }
    }

    private static Silo silo() {
        Silo silo = Silo.builder()
                .siloOptions(new SiloOptions("memory", null))
                .addGrainClass(PingGrainImpl.class)
                .build();
        silo.start();
        return silo;
    }

    /** In a child JVM: bytes per idle activation over {@code count} activations. */
    private static void measure(int count) throws InterruptedException {
        try (Silo silo = silo()) {
            LocalBenchmarks.runNewGrains(
                    silo, 1_000_000_000L, 20_000); // warms the path; these stay, and are in "before"
            long before = usedAfterGc();
            long failures = LocalBenchmarks.runNewGrains(silo, 0, count);
            long after = usedAfterGc();
            int active = silo.diagnostics().activationCount();
            System.out.printf(
                    Locale.ROOT,
                    "RESULT %,d activations: %,.0f bytes per idle activation (heap after GC %,d MB -> %,d MB;"
                            + " %,d activations live, %d calls failed)%n",
                    count,
                    (after - before) / (double) count,
                    before >> 20,
                    after >> 20,
                    active,
                    failures);
        }
    }

    /** In a child JVM with a 1 GB heap: activations until the heap after GC passes {@value #FILL_LIMIT} of it. */
    private static void fill() throws InterruptedException {
        long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
        try (Silo silo = silo()) {
            long next = 0;
            long failures = 0;
            long used = usedAfterGc();
            while (used < FILL_LIMIT * max) {
                failures += LocalBenchmarks.runNewGrains(silo, next, FILL_BATCH);
                next += FILL_BATCH;
                used = usedAfterGc();
            }
            System.out.printf(
                    Locale.ROOT,
                    "HELD %,d activations in a %,d MB heap with %,d MB used after GC (%d calls failed);"
                            + " %,.0f bytes per activation overall%n",
                    silo.diagnostics().activationCount(),
                    max >> 20,
                    used >> 20,
                    failures,
                    used / (double) silo.diagnostics().activationCount());
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private ActivationMemory() {}
}
