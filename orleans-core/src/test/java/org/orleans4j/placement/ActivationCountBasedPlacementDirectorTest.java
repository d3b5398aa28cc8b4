package org.orleans4j.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.orleans4j.placement.PlacementDirectorsTest.target;
import static org.orleans4j.placement.TestPlacementContext.silo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.SiloAddress;

class ActivationCountBasedPlacementDirectorTest {

    private static final SiloAddress A = silo("10.0.0.1", 11111);
    private static final SiloAddress B = silo("10.0.0.2", 11111);
    private static final SiloAddress C = silo("10.0.0.3", 11111);

    private static ActivationCountBasedPlacementDirector director(int chooseOutOf) {
        return new ActivationCountBasedPlacementDirector(new ActivationCountBasedPlacementOptions(chooseOutOf));
    }

    private static SiloAddress place(ActivationCountBasedPlacementDirector director, PlacementContext context, int i) {
        CompletableFuture<SiloAddress> chosen =
                director.onAddActivation(ActivationCountBasedPlacementStrategy.INSTANCE, target("n" + i), context);
        assertThat(chosen).isDone();
        return chosen.join();
    }

    @Test
    void chooseOutOfMustBeAtLeastOne() {
        assertThat(ActivationCountBasedPlacementOptions.DEFAULT.chooseOutOf()).isEqualTo(2);
        assertThatThrownBy(() -> new ActivationCountBasedPlacementOptions(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chooseOutOf");
        assertThat(new ActivationCountBasedPlacementOptions(1).chooseOutOf()).isEqualTo(1);
    }

    @Test
    void choosingOutOfAllSilosAlwaysPicksTheLeastLoaded() {
        ActivationCountBasedPlacementDirector director = director(3);
        director.updateActivationCount(A, 0);
        director.updateActivationCount(B, 5000);
        director.updateActivationCount(C, 5000);
        TestPlacementContext context = new TestPlacementContext(A, List.of(A, B, C));
        for (int i = 0; i < 1000; i++) {
            assertThat(place(director, context, i)).isEqualTo(A);
        }
        assertThat(director.estimatedActivationCount(A)).isEqualTo(1000);
    }

    @Test
    void chooseOutOfLargerThanTheClusterComparesEverySilo() {
        ActivationCountBasedPlacementDirector director = director(5);
        director.updateActivationCount(A, 5000);
        director.updateActivationCount(B, 0);
        director.updateActivationCount(C, 5000);
        TestPlacementContext context = new TestPlacementContext(A, List.of(A, B, C));
        for (int i = 0; i < 200; i++) {
            assertThat(place(director, context, i)).isEqualTo(B);
        }
    }

    @Test
    void theSampledSilosAreDistinct() {
        // With two silos and K = 2, sampling the loaded silo twice would pick it sometimes.
        ActivationCountBasedPlacementDirector director = director(2);
        director.updateActivationCount(A, 5000);
        director.updateActivationCount(B, 0);
        TestPlacementContext context = new TestPlacementContext(A, List.of(A, B));
        for (int i = 0; i < 1000; i++) {
            assertThat(place(director, context, i)).isEqualTo(B);
        }
    }

    @Test
    void everyPlacementBumpsTheChosenSilosEstimateUntilTheNextReport() {
        ActivationCountBasedPlacementDirector director = director(2);
        TestPlacementContext context = new TestPlacementContext(A, List.of(A, B));
        // No reports yet: both count as 0, and each placement tips the balance to the other silo.
        for (int i = 0; i < 100; i++) {
            place(director, context, i);
        }
        assertThat(director.estimatedActivationCount(A)).isEqualTo(50);
        assertThat(director.estimatedActivationCount(B)).isEqualTo(50);

        // A publishes 0 (its activations were deactivated): the local delta restarts with the report.
        director.updateActivationCount(A, 0);
        assertThat(director.estimatedActivationCount(A)).isZero();
        for (int i = 0; i < 50; i++) {
            assertThat(place(director, context, i)).isEqualTo(A);
        }
        assertThat(director.estimatedActivationCount(A)).isEqualTo(50);
    }

    @Test
    void aSiloThatNeverReportedCountsAsEmptyAndRemovalForgetsReports() {
        ActivationCountBasedPlacementDirector director = director(3);
        director.updateActivationCount(B, 100);
        director.updateActivationCount(C, 100);
        TestPlacementContext context = new TestPlacementContext(A, List.of(A, B, C));
        assertThat(place(director, context, 0)).isEqualTo(A);

        director.updateActivationCount(A, 1000);
        assertThat(place(director, context, 1)).isIn(B, C);
        director.removeSilo(A);
        assertThat(director.estimatedActivationCount(A)).isZero();
        assertThat(place(director, context, 2)).isEqualTo(A);
    }

    @Test
    void negativeCountsAreRejected() {
        assertThatThrownBy(() -> director(2).updateActivationCount(A, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(A.toString());
    }

    @Test
    void powerOfTwoChoicesEvensOutALoadedCluster() {
        ActivationCountBasedPlacementDirector director = director(2);
        List<SiloAddress> silos = List.of(A, B, C);
        Map<SiloAddress, Integer> actual = new HashMap<>(Map.of(A, 5000, B, 0, C, 0));
        silos.forEach(s -> director.updateActivationCount(s, actual.get(s)));
        TestPlacementContext context = new TestPlacementContext(A, silos);
        for (int i = 0; i < 10_000; i++) {
            actual.merge(place(director, context, i), 1, Integer::sum);
            if (i % 500 == 499) { // the periodic publication of the true counts
                silos.forEach(s -> director.updateActivationCount(s, actual.get(s)));
            }
        }
        assertWithinFifteenPercentOfTheMean(actual);
    }

    @Test
    void independentPlacersWithStaleCountsStillEvenOut() {
        // Two silos place concurrently in real life; each only learns the other's placements from the
        // periodic publication. Interleave them deterministically here.
        List<SiloAddress> silos = List.of(A, B, C);
        Map<SiloAddress, Integer> actual = new HashMap<>(Map.of(A, 5000, B, 0, C, 0));
        List<ActivationCountBasedPlacementDirector> placers = List.of(director(2), director(2));
        List<TestPlacementContext> views =
                List.of(new TestPlacementContext(A, silos), new TestPlacementContext(B, silos));
        Runnable publish = () -> placers.forEach(p -> silos.forEach(s -> p.updateActivationCount(s, actual.get(s))));
        publish.run();
        for (int i = 0; i < 10_000; i++) {
            int placer = i % 2;
            actual.merge(place(placers.get(placer), views.get(placer), i), 1, Integer::sum);
            if (i % 1000 == 999) {
                publish.run();
            }
        }
        assertWithinFifteenPercentOfTheMean(actual);
    }

    @Test
    void concurrentPlacementsAreAllCounted() throws Exception {
        ActivationCountBasedPlacementDirector director = director(2);
        TestPlacementContext context = new TestPlacementContext(A, List.of(A, B, C));
        int threads = 4;
        int perThread = 2_500;
        Map<SiloAddress, AtomicInteger> actual = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        actual.computeIfAbsent(place(director, context, i), s -> new AtomicInteger())
                                .incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (SiloAddress silo : List.of(A, B, C)) {
            assertThat(director.estimatedActivationCount(silo))
                    .as("no lost update for %s", silo)
                    .isEqualTo(actual.get(silo).get());
        }
        Map<SiloAddress, Integer> counts = new HashMap<>();
        actual.forEach((s, n) -> counts.put(s, n.get()));
        assertWithinFifteenPercentOfTheMean(counts);
    }

    private static void assertWithinFifteenPercentOfTheMean(Map<SiloAddress, Integer> counts) {
        double mean =
                counts.values().stream().mapToInt(Integer::intValue).average().orElseThrow();
        assertThat(counts.values())
                .as("activations per silo %s", counts)
                .allSatisfy(n -> assertThat((double) n).isBetween(mean * 0.85, mean * 1.15));
    }
}
