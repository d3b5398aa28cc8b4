package org.orleans4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainWithLongKey;
import org.orleans4j.grain.Idempotent;
import org.orleans4j.membership.MembershipOptions;
import org.orleans4j.runtime.Silo;
import org.orleans4j.testing.TestCluster;

/**
 * Acceptance 3 of issue 12: a fourth silo joins (and, second, one of four leaves gracefully) while
 * 10,000 grains are being called from several threads through the silos (one JVM, real sockets,
 * default membership settings), and no grain has two activations at any moment. The grains count themselves: each activation adds one to its grain's
 * counter in {@code onActivate} and takes it away in {@code onDeactivate}, so a counter above one is a
 * moment with two activations. Every call asks its activation to deactivate afterwards with some
 * probability, so activations come and go (and register anew) throughout the join.
 * <p>
 * Runs {@value #DEFAULT_RUNS} of each by default; {@code -Dorleans.test.joinRuns=10} runs more. Prints a
 * {@code MEASURED:} line per scenario with the runs, calls and duplicates.
 */
class SingleActivationWhileMembershipChangesTest {

    private static final int DEFAULT_RUNS = 2;
    private static final int GRAINS = 10_000;
    private static final int LOAD_THREADS = 4;
    /** Calls in flight at once, over all load threads. */
    private static final int IN_FLIGHT = 256;
    /** Share of calls after which the activation deactivates. */
    private static final double CHURN = 0.2;

    /** Live activations per grain key, as the activations count themselves. */
    static final Map<Long, AtomicInteger> LIVE = new ConcurrentHashMap<>();

    static final LongAdder DUPLICATE_MOMENTS = new LongAdder();
    static final AtomicInteger MAX_LIVE = new AtomicInteger();
    static final LongAdder ACTIVATIONS = new LongAdder();

    interface ChurnGrain extends GrainWithLongKey {
        /** Only answers its key (and may end its activation): running it twice does no harm. */
        @Idempotent
        CompletableFuture<Long> touch(boolean deactivateAfterwards);
    }

    public static class ChurnGrainImpl extends GrainBase implements ChurnGrain {
        @Override
        public CompletableFuture<Void> onActivate() {
            int live = LIVE.computeIfAbsent(primaryKeyLong(), key -> new AtomicInteger())
                    .incrementAndGet();
            ACTIVATIONS.increment();
            MAX_LIVE.accumulateAndGet(live, Math::max);
            if (live > 1) {
                DUPLICATE_MOMENTS.increment();
            }
            return super.onActivate();
        }

        @Override
        public CompletableFuture<Void> onDeactivate(DeactivationReason reason) {
            LIVE.get(primaryKeyLong()).decrementAndGet();
            return super.onDeactivate(reason);
        }

        @Override
        public CompletableFuture<Long> touch(boolean deactivateAfterwards) {
            if (deactivateAfterwards) {
                deactivateOnIdle();
            }
            return CompletableFuture.completedFuture(primaryKeyLong());
        }
    }

    /** What one run did. */
    private record Run(long calls, long failedCalls, String firstFailure) {}

    @Test
    void noGrainHasTwoActivationsAtAnyMomentWhileAFourthSiloJoinsUnderLoad() throws Exception {
        measure("a 4th silo joins", 3, 0, cluster -> {
            Silo fourth = cluster.startSilo();
            cluster.awaitActiveSilos(4, Duration.ofSeconds(30));
            return fourth;
        });
    }

    @Test
    void noGrainHasTwoActivationsAtAnyMomentWhileASiloLeavesUnderLoad() throws Exception {
        // Calls that reach the leaving silo's deactivating activations are forwarded; one that runs out of
        // the forward budget did not run and is tried again by its caller after a backoff.
        measure("the 4th silo stops gracefully", 4, 0, cluster -> {
            Silo leaving = cluster.silo(3);
            leaving.stop(Duration.ofSeconds(30));
            cluster.awaitActiveSilos(3, Duration.ofSeconds(30));
            return null;
        });
    }

    /** Changes the cluster under load; returns a silo that joined (its factory takes part in the load), or null. */
    @FunctionalInterface
    private interface Change {
        Silo apply(TestCluster cluster);
    }

    /** Runs {@code step} under load; {@code failureShare}: the share of calls that may fail. */
    private void measure(String change, int silos, double failureShare, Change step) throws Exception {
        int runs = Integer.getInteger("orleans.test.joinRuns", DEFAULT_RUNS);
        long calls = 0;
        long failed = 0;
        String firstFailure = null;
        DUPLICATE_MOMENTS.reset();
        MAX_LIVE.set(0);
        ACTIVATIONS.reset();
        for (int run = 0; run < runs; run++) {
            Run result = underLoad(silos, step);
            calls += result.calls();
            failed += result.failedCalls();
            if (firstFailure == null) {
                firstFailure = result.firstFailure();
            }
        }
        System.out.printf(
                "MEASURED: single activation while %s: runs=%d, grains=%d, calls=%d, failed calls=%d,"
                        + " activations=%d, duplicates=%d, max live activations of one grain=%d%s%n",
                change,
                runs,
                GRAINS,
                calls,
                failed,
                ACTIVATIONS.sum(),
                DUPLICATE_MOMENTS.sum(),
                MAX_LIVE.get(),
                firstFailure == null ? "" : " (first failure: " + firstFailure + ")");
        assertThat(DUPLICATE_MOMENTS.sum())
                .as("moments with two activations of one grain")
                .isZero();
        assertThat(MAX_LIVE.get()).isEqualTo(1);
        assertThat(calls).isGreaterThan((long) GRAINS * runs);
        assertThat(failed).as("calls that failed (%s)", firstFailure).isLessThanOrEqualTo((long)
                (calls * failureShare));
    }

    private Run underLoad(int silos, Change step) throws Exception {
        LIVE.clear();
        try (TestCluster cluster = TestCluster.builder()
                .silos(silos)
                .membershipOptions(MembershipOptions.DEFAULT)
                .configure(b -> b.addGrainClass(ChurnGrainImpl.class))
                .start()) {
            List<GrainFactory> factories = new CopyOnWriteArrayList<>();
            for (int i = 0; i < silos; i++) {
                factories.add(cluster.grainFactory(i));
            }
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            LongAdder calls = new LongAdder();
            LongAdder failures = new LongAdder();
            AtomicLong stopAtNanos = new AtomicLong(Long.MAX_VALUE);
            CopyOnWriteArrayList<Throwable> failureSamples = new CopyOnWriteArrayList<>();

            // Every grain active before the change, so its entries have to move.
            for (int key = 0; key < GRAINS; key++) {
                call(factories.get(key % factories.size()), key, false, inFlight, calls, failures, failureSamples);
            }
            // Load goes through the first three silos (a leaving silo stops taking calls of its own).
            List<GrainFactory> callers = new CopyOnWriteArrayList<>(factories.subList(0, 3));
            List<Thread> loaders = new CopyOnWriteArrayList<>();
            for (int t = 0; t < LOAD_THREADS; t++) {
                loaders.add(Thread.ofPlatform()
                        .name("membership-change-load-" + t)
                        .start(() -> {
                            ThreadLocalRandom random = ThreadLocalRandom.current();
                            while (System.nanoTime() - stopAtNanos.get() < 0) {
                                GrainFactory factory = callers.get(random.nextInt(callers.size()));
                                if (!call(
                                        factory,
                                        random.nextInt(GRAINS),
                                        random.nextDouble() < CHURN,
                                        inFlight,
                                        calls,
                                        failures,
                                        failureSamples)) {
                                    return;
                                }
                            }
                        }));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> calls.sum() > 2L * GRAINS);

            Silo joined = step.apply(cluster);
            if (joined != null) {
                callers.add(joined.grainFactory());
            }
            long callsAfterChange = calls.sum();
            // Keep calling until a good number of calls went through the changed cluster.
            await().atMost(Duration.ofSeconds(60)).until(() -> calls.sum() > callsAfterChange + 2L * GRAINS);
            stopAtNanos.set(System.nanoTime());
            for (Thread loader : loaders) {
                loader.join(TimeUnit.SECONDS.toMillis(30));
                assertThat(loader.isAlive()).isFalse();
            }
            assertThat(inFlight.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS))
                    .as("all calls answered")
                    .isTrue();
            return new Run(
                    calls.sum(),
                    failures.sum(),
                    failureSamples.isEmpty() ? null : failureSamples.get(0).toString());
        }
    }

    /** Starts one call once a place in flight is free; {@code false} if none became free in time. */
    private static boolean call(
            GrainFactory factory,
            long key,
            boolean deactivate,
            Semaphore inFlight,
            LongAdder calls,
            LongAdder failures,
            List<Throwable> failureSamples) {
        try {
            if (!inFlight.tryAcquire(30, TimeUnit.SECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        factory.getGrain(ChurnGrain.class, key).touch(deactivate).whenComplete((value, error) -> {
            if (error != null) {
                failures.increment();
                if (failureSamples.size() < 5) {
                    failureSamples.add(error);
                }
            } else {
                calls.increment();
            }
            inFlight.release();
        });
        return true;
    }
}
