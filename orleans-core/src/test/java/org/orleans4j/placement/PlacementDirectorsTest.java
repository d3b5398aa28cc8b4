package org.orleans4j.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orleans4j.placement.TestPlacementContext.silo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.StableHash;

/** The built-in directors other than activation-count (see {@link ActivationCountBasedPlacementDirectorTest}). */
class PlacementDirectorsTest {

    // Address order is numeric: 10.0.0.1 < 10.0.0.2 < 10.0.0.9 < 10.0.0.10.
    static final SiloAddress A = silo("10.0.0.1", 11111);
    static final SiloAddress B = silo("10.0.0.2", 11111);
    static final SiloAddress C = silo("10.0.0.10", 11111);
    static final SiloAddress D = silo("10.0.0.9", 11112);

    static PlacementTarget target(String key) {
        return new PlacementTarget(GrainId.ofString("entry", key), Object.class, Map.of());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static SiloAddress place(
            PlacementDirector director, PlacementStrategy strategy, PlacementContext context, String key) {
        CompletableFuture<SiloAddress> chosen = director.onAddActivation(strategy, target(key), context);
        assertThat(chosen).as("built-in directors answer at once").isDone();
        return chosen.join();
    }

    private static SiloAddress place(
            PlacementDirector<PlacementStrategy> director, PlacementContext context, String key) {
        return place(director, RandomPlacementStrategy.INSTANCE, context, key);
    }

    private static Map<SiloAddress, Integer> histogram(
            PlacementDirector<PlacementStrategy> director, PlacementContext context, int draws) {
        Map<SiloAddress, Integer> counts = new HashMap<>();
        for (int i = 0; i < draws; i++) {
            counts.merge(place(director, context, "k" + i), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void randomCoversEveryCompatibleSiloEvenlyAndNeverAnIncompatibleOne() {
        TestPlacementContext context = new TestPlacementContext(A, List.of(A, B, C, D)).withIncompatible(D);
        Map<SiloAddress, Integer> counts = histogram(new RandomPlacementDirector(), context, 3_000);
        assertThat(counts.keySet()).containsExactlyInAnyOrder(A, B, C);
        // Expected 1000 each, standard deviation about 26: 200 away is beyond 7 sigma.
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
    }

    @Test
    void randomWithOneSiloAlwaysPicksIt() {
        TestPlacementContext context = new TestPlacementContext(A, List.of(B));
        assertThat(histogram(new RandomPlacementDirector(), context, 100)).containsOnlyKeys(B);
    }

    @Test
    void preferLocalPicksTheLocalSilo() {
        TestPlacementContext context = new TestPlacementContext(B, List.of(A, B, C));
        assertThat(histogram(new PreferLocalPlacementDirector(), context, 200)).containsOnlyKeys(B);
    }

    @Test
    void preferLocalFallsBackToRandomWhenTheLocalSiloIsIncompatible() {
        TestPlacementContext context = new TestPlacementContext(B, List.of(A, B, C, D)).withIncompatible(B, D);
        assertThat(histogram(new PreferLocalPlacementDirector(), context, 300).keySet())
                .containsExactlyInAnyOrder(A, C);
    }

    @Test
    void preferLocalFallsBackToRandomWhenTheLocalSiloIsNotActive() {
        for (SiloStatus status : List.of(SiloStatus.JOINING, SiloStatus.SHUTTING_DOWN, SiloStatus.STOPPING)) {
            TestPlacementContext context = new TestPlacementContext(B, List.of(A, B, C)).withLocalStatus(status);
            assertThat(histogram(new PreferLocalPlacementDirector(), context, 300)
                            .keySet())
                    .as("local silo %s", status)
                    .contains(A, C);
        }
    }

    @Test
    void hashBasedMatchesKnownAnswers() {
        // Hashes of "entry/<key>" checked against an independent MurmurHash3_x86_32 implementation:
        // alpha -602132943, beta 485851384, gamma 530493519, delta -1401089489; mod 4 after masking: 1, 0, 3, 3.
        TestPlacementContext context = new TestPlacementContext(A, List.of(C, A, D, B));
        HashBasedPlacementDirector director = new HashBasedPlacementDirector();
        assertThat(place(director, context, "alpha")).isEqualTo(B);
        assertThat(place(director, context, "beta")).isEqualTo(A);
        assertThat(place(director, context, "gamma")).isEqualTo(C);
        assertThat(place(director, context, "delta")).isEqualTo(C);
    }

    @Test
    void hashBasedIsTheStableHashModuloTheCompatibleSilosInAddressOrder() {
        HashBasedPlacementDirector director = new HashBasedPlacementDirector();
        List<SiloAddress> ordered = List.of(A, B, D, C); // sorted by hand, not by SiloAddress.compareTo
        List<SiloAddress> shuffled = new ArrayList<>(ordered);
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            String key = "word-" + i;
            int hash = StableHash.hash("entry/" + key);
            SiloAddress expected = ordered.get((hash & 0x7fffffff) % ordered.size());
            Collections.shuffle(shuffled, random);
            TestPlacementContext here = new TestPlacementContext(A, shuffled);
            TestPlacementContext elsewhere = new TestPlacementContext(C, List.of(C, D, B, A));
            assertThat(place(director, here, key)).as(key).isEqualTo(expected);
            assertThat(place(director, elsewhere, key))
                    .as("another silo's view of " + key)
                    .isEqualTo(expected);
        }
    }

    @Test
    void hashBasedIgnoresIncompatibleSilos() {
        HashBasedPlacementDirector director = new HashBasedPlacementDirector();
        TestPlacementContext context = new TestPlacementContext(A, List.of(D, C, B, A)).withIncompatible(B);
        List<SiloAddress> ordered = List.of(A, D, C);
        for (int i = 0; i < 200; i++) {
            String key = "k" + i;
            SiloAddress expected = ordered.get((StableHash.hash("entry/" + key) & 0x7fffffff) % 3);
            assertThat(place(director, context, key)).isEqualTo(expected);
        }
    }

    @Test
    void stableHashIsMurmur3() {
        // Reference values of MurmurHash3_x86_32 with seed 0.
        assertThat(StableHash.hash("")).isEqualTo(0);
        assertThat(StableHash.hash("hello")).isEqualTo(0x248bfa47);
        assertThat(StableHash.hash("The quick brown fox jumps over the lazy dog"))
                .isEqualTo(0x2e4ff723);
    }

    @Test
    void statelessWorkerRunsOnTheLocalSilo() {
        StatelessWorkerPlacementDirector director = new StatelessWorkerPlacementDirector();
        TestPlacementContext context = new TestPlacementContext(C, List.of(A, B, C));
        for (int i = 0; i < 100; i++) {
            assertThat(place(director, StatelessWorkerPlacementStrategy.INSTANCE, context, "w"))
                    .isEqualTo(C);
        }
    }

    @Test
    void statelessWorkerGoesElsewhereWhenTheLocalSiloCannotHostIt() {
        StatelessWorkerPlacementDirector director = new StatelessWorkerPlacementDirector();
        TestPlacementContext incompatible = new TestPlacementContext(C, List.of(A, B, C)).withIncompatible(C);
        TestPlacementContext stopping =
                new TestPlacementContext(C, List.of(A, B, C)).withLocalStatus(SiloStatus.STOPPING);
        Set<SiloAddress> fromIncompatible = new HashSet<>();
        Set<SiloAddress> fromStopping = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            fromIncompatible.add(place(director, StatelessWorkerPlacementStrategy.INSTANCE, incompatible, "w"));
            fromStopping.add(place(director, StatelessWorkerPlacementStrategy.INSTANCE, stopping, "w"));
        }
        assertThat(fromIncompatible).containsExactlyInAnyOrder(A, B);
        assertThat(fromStopping).contains(A, B);
    }

    @Test
    void siloRoleBasedPicksOnlyCompatibleSilosWhoseRoleIsTheKey() {
        TestPlacementContext context = new TestPlacementContext(A, List.of(A, B, C, D))
                .withIncompatible(D)
                .withRole(A, "frontend")
                .withRole(B, "backend")
                .withRole(C, "backend")
                .withRole(D, "backend");
        Map<SiloAddress, Integer> counts = new HashMap<>();
        SiloRoleBasedPlacementDirector director = new SiloRoleBasedPlacementDirector();
        for (int i = 0; i < 300; i++) {
            counts.merge(place(director, context, "backend"), 1, Integer::sum);
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder(B, C);
        assertThat(place(director, context, "frontend")).isEqualTo(A);
    }

    @Test
    void siloRoleBasedFailsClearlyWhenNoSiloHasTheRole() {
        TestPlacementContext context = new TestPlacementContext(A, List.of(A, B))
                .withRole(A, "frontend")
                .withRole(B, "backend");
        CompletableFuture<SiloAddress> chosen = new SiloRoleBasedPlacementDirector()
                .onAddActivation(SiloRoleBasedPlacementStrategy.INSTANCE, target("batch"), context);
        assertThat(chosen).isCompletedExceptionally();
        assertThat(chosen.exceptionNow())
                .isInstanceOf(PlacementException.class)
                .hasMessageContaining("role 'batch'")
                .hasMessageContaining("entry/batch")
                .hasMessageContaining("[backend, frontend]");
    }

    static Stream<PlacementDirector<?>> everyBuiltInDirector() {
        return Stream.of(
                new RandomPlacementDirector(),
                new PreferLocalPlacementDirector(),
                new HashBasedPlacementDirector(),
                new ActivationCountBasedPlacementDirector(ActivationCountBasedPlacementOptions.DEFAULT),
                new StatelessWorkerPlacementDirector(),
                new SiloRoleBasedPlacementDirector());
    }

    @ParameterizedTest
    @MethodSource("everyBuiltInDirector")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void noCompatibleSiloFailsTheFutureClearly(PlacementDirector director) {
        // Every silo exists but none can host the grain: the local one included.
        TestPlacementContext context = new TestPlacementContext(A, List.of(A, B))
                .withIncompatible(A, B)
                .withRole(A, "x")
                .withRole(B, "x");
        PlacementStrategy strategy = director instanceof StatelessWorkerPlacementDirector
                ? StatelessWorkerPlacementStrategy.INSTANCE
                : ActivationCountBasedPlacementStrategy.INSTANCE;
        CompletableFuture<SiloAddress> chosen = director.onAddActivation(strategy, target("x"), context);
        assertThat(chosen)
                .as("failure is reported through the future, not thrown")
                .isCompletedExceptionally();
        assertThat(chosen.exceptionNow())
                .isInstanceOf(PlacementException.class)
                .hasMessageStartingWith("No active silo can host grain entry/x (type 'entry')");
    }
}
