package org.orleans4j.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.IncomingGrainCallContext;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloBuilder;
import org.orleans4j.runtime.SiloOptions;

/**
 * The local workloads of the peer comparison, on one silo in this JVM:
 * <ul>
 * <li>sequential: one caller, one grain, one call at a time; latency percentiles;</li>
 * <li>throughput: 1,000 grains, 64 calls in flight; calls per second;</li>
 * <li>activations: 100,000 new grains, 64 first calls in flight; activations per second.</li>
 * </ul>
 * Each workload runs {@code rounds} times on a fresh silo; the median of the rounds is reported.
 * Arguments: {@code rounds} (default 5), {@code seconds} per throughput round (default 5).
 */
public final class LocalBenchmarks {

    private static final int GRAINS = 1_000;
    private static final int IN_FLIGHT = 64;
    private static final int NEW_GRAINS = 100_000;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(
                Locale.ROOT,
                "Local benchmarks: %d rounds, %d cores, %s %s, %s%n",
                rounds,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                NOOP_FILTER ? "one no-op incoming call filter" : "no call filter");

        double[] p50 = new double[rounds];
        double[] p99 = new double[rounds];
        double[] throughput = new double[rounds];
        double[] activations = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double[] latency = sequential(200_000);
            p50[r] = latency[0];
            p99[r] = latency[1];
            throughput[r] = throughput(Duration.ofSeconds(seconds));
            activations[r] = activations();
            System.out.printf(
                    Locale.ROOT,
                    "round %d: sequential p50 %.1f us p99 %.1f us | throughput %,.0f calls/s | activations %,.0f /s%n",
                    r + 1,
                    p50[r],
                    p99[r],
                    throughput[r],
                    activations[r]);
        }
        System.out.printf(
                Locale.ROOT, "MEDIAN sequential p50 %.1f us (target <= 20), p99 %.1f us%n", median(p50), median(p99));
        System.out.printf(Locale.ROOT, "MEDIAN throughput %,.0f calls/s (target >= 1,500,000)%n", median(throughput));
        System.out.printf(Locale.ROOT, "MEDIAN activations %,.0f /s (target >= 150,000)%n", median(activations));
    }

    /** {@code -Dbench.filter=noop}: every call passes one incoming filter that only goes on with it. */
    private static final boolean NOOP_FILTER = "noop".equals(System.getProperty("bench.filter"));

    private static Silo newSilo() {
        SiloBuilder builder =
                Silo.builder().siloOptions(new SiloOptions("bench", null)).addGrainClass(PingGrainImpl.class);
        if (NOOP_FILTER) {
            builder.addIncomingCallFilter(IncomingGrainCallContext::proceed);
        }
        Silo silo = builder.build();
        silo.start();
        return silo;
    }

    /** One caller, one grain: returns {p50, p99} in microseconds. */
    static double[] sequential(int calls) {
        try (Silo silo = newSilo()) {
            return sequential(silo.grainFactory().getGrain(PingGrain.class, 1L), 50_000, calls);
        }
    }

    /** {@code warmup} unmeasured calls, then {@code calls} timed one at a time: {p50, p99} in microseconds. */
    static double[] sequential(PingGrain grain, int warmup, int calls) {
        for (int i = 0; i < warmup; i++) {
            grain.ping(i).join();
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            grain.ping(i).join();
            nanos[i] = System.nanoTime() - start;
        }
        return percentiles(nanos, calls);
    }

    /** {p50, p99} in microseconds of the first {@code count} of {@code nanos} (sorts them). */
    static double[] percentiles(long[] nanos, int count) {
        Arrays.sort(nanos, 0, count);
        return new double[] {nanos[count / 2] / 1000.0, nanos[(int) (count * 0.99)] / 1000.0};
    }

    /** 1,000 grains, 64 calls in flight, each completion issuing the next call: calls per second. */
    static double throughput(Duration measure) throws InterruptedException {
        try (Silo silo = newSilo()) {
            List<PingGrain> grains = new ArrayList<>(GRAINS);
            for (int i = 0; i < GRAINS; i++) {
                grains.add(silo.grainFactory().getGrain(PingGrain.class, i));
            }
            CompletableFuture.allOf(grains.stream().map(g -> g.ping(0)).toArray(CompletableFuture[]::new))
                    .join();
            return throughput(grains, measure);
        }
    }

    /**
     * {@value #IN_FLIGHT} chains of calls over {@code grains}, each completion issuing the next call:
     * calls per second over {@code measure}, after 2 s of unmeasured warm-up.
     */
    static double throughput(List<PingGrain> grains, Duration measure) throws InterruptedException {
        return throughput(grains, measure, null)[0];
    }

    /**
     * As {@link #throughput(List, Duration)}: {calls per second, microseconds of CPU per call}, the CPU
     * read by {@code cpu} over the measured calls (NaN without a meter).
     */
    static double[] throughput(List<PingGrain> grains, Duration measure, @Nullable CpuMeter cpu)
            throws InterruptedException {
        AtomicLong completed = new AtomicLong();
        long warmupEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        long end = warmupEnd + measure.toNanos();
        CountDownLatch loopsDone = new CountDownLatch(IN_FLIGHT);
        for (int loop = 0; loop < IN_FLIGHT; loop++) {
            new CallLoop(grains, loop, end, completed, loopsDone).next();
        }
        long waitNanos = warmupEnd - System.nanoTime();
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
        if (cpu != null) {
            cpu.start();
        }
        long measuredAtStart = completed.get();
        long t0 = System.nanoTime();
        loopsDone.await();
        long elapsed = System.nanoTime() - t0;
        long calls = completed.get() - measuredAtStart;
        return new double[] {calls / (elapsed / 1e9), cpu == null ? Double.NaN : cpu.microsPer(calls)};
    }

    /** A chain of calls: each response issues the next call, until the deadline. */
    private static final class CallLoop {
        private final List<PingGrain> grains;
        private final long end;
        private final AtomicLong completed;
        private final CountDownLatch done;
        private int index;

        CallLoop(List<PingGrain> grains, int start, long end, AtomicLong completed, CountDownLatch done) {
            this.grains = grains;
            this.index = start * 15;
            this.end = end;
            this.completed = completed;
            this.done = done;
        }

        void next() {
            index = (index + 1) % grains.size();
            grains.get(index).ping(index).whenComplete((v, e) -> {
                if (e != null) {
                    e.printStackTrace();
                    done.countDown();
                    return;
                }
                completed.incrementAndGet();
                if (System.nanoTime() < end) {
                    next();
                } else {
                    done.countDown();
                }
            });
        }
    }

    /** 100,000 grains never seen before, 64 first calls in flight: activations per second. */
    static double activations() throws InterruptedException {
        try (Silo silo = newSilo()) {
            // Warm the path with other ids first.
            runNewGrains(silo, 1_000_000, 20_000);
            long t0 = System.nanoTime();
            runNewGrains(silo, 0, NEW_GRAINS);
            long elapsed = System.nanoTime() - t0;
            if (silo.diagnostics().activationCount() < NEW_GRAINS) {
                throw new IllegalStateException("expected " + NEW_GRAINS + " activations, found "
                        + silo.diagnostics().activationCount());
            }
            return NEW_GRAINS / (elapsed / 1e9);
        }
    }

    /** Activates {@code count} new grains from key {@code firstKey}, 64 first calls in flight; the calls that failed. */
    static long runNewGrains(Silo silo, long firstKey, int count) throws InterruptedException {
        AtomicLong nextKey = new AtomicLong(firstKey);
        AtomicLong failures = new AtomicLong();
        long last = firstKey + count;
        CountDownLatch done = new CountDownLatch(IN_FLIGHT);
        for (int loop = 0; loop < IN_FLIGHT; loop++) {
            activateNext(silo, nextKey, last, failures, done);
        }
        done.await();
        return failures.get();
    }

    private static void activateNext(
            Silo silo, AtomicLong nextKey, long last, AtomicLong failures, CountDownLatch done) {
        long key = nextKey.getAndIncrement();
        if (key >= last) {
            done.countDown();
            return;
        }
        silo.grainFactory().getGrain(PingGrain.class, key).ping(key).whenComplete((v, e) -> {
            if (e != null) {
                failures.incrementAndGet();
                e.printStackTrace();
            }
            activateNext(silo, nextKey, last, failures, done);
        });
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
