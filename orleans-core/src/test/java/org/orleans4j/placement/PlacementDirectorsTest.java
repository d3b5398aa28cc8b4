package org.orleans4j.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.orleans4j.placement.TestPlacementContext.silo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.StableHash;
import org.orleans4j.runtime.SiloAddress;
import org.orleans4j.runtime.SiloStatus;

class PlacementDirectorsTest {

    private static final SiloAddress A = silo("10.0.0.1", 11111);
    private static final SiloAddress B = silo("10.0.0.2", 11111);
    private static final SiloAddress C = silo("10.0.0.10", 11111);
    private static final SiloAddress D = silo("10.0.0.9", 11112);

    private static PlacementTarget target(String key) {
        return new PlacementTarget(GrainId.ofString("entry", key), Object.class, Map.of());
    }

    private static SiloAddress place(PlacementDirector<PlacementStrategy> director, PlacementContext context, String key) {
        return director.onAddActivation(RandomPlacementStrategy.INSTANCE, target(key), context).join();
    }

    @Test
    void randomCoversEveryCompatibleSiloAndNothingElse() {
        TestPlacementContext context = new TestPlacementContext(A, List.of(A, B, C));
        RandomPlacementDirector director = new RandomPlacementDirector();
        Map<SiloAddress, Integer> counts = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            counts.merge(place(director, context, "k" + i), 1, Integer::sum);
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder(A, B, C);
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
    }

    @Test
    void noCompatibleSiloFailsClearly() {
        TestPlacementContext context = new TestPlacementContext(A, List.of());
        assertThatThrownBy(() -> place(new RandomPlacementDirector(), context, "x"))
                .isInstanceOf(PlacementException.class).hasMessageContaining("entry/x");
    }

    @Test
    void preferLocalPicksTheLocalSiloAndFallsBackWhenItCannot() {
        PreferLocalPlacementDirector director = new PreferLocalPlacementDirector();
        TestPlacementContext context = new TestPlacementContext(B, List.of(A, B, C));
        for (int i = 0; i < 100; i++) {
            assertThat(place(director, context, "k" + i)).isEqualTo(B);
        }
        TestPlacementContext notCompatible = new TestPlacementContext(D, List.of(A, B, C));
        assertThat(place(director, notCompatible, "k")).isIn(A, B, C);
        TestPlacementContext shuttingDown = new TestPlacementContext(B, List.of(A, B, C));
        shuttingDown.localStatus = SiloStatus.SHUTTING_DOWN;
        Set<SiloAddress> chosen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            chosen.add(place(director, shuttingDown, "k" + i));
        }
        assertThat(chosen).contains(A, C);
    }

    @Test
    void hashBasedIsTheStableHashModuloTheSilosInAddressOrder() {
        HashBasedPlacementDirector director = new HashBasedPlacementDirector();
        // Address order is numeric: 10.0.0.1 < 10.0.0.2 < 10.0.0.9 < 10.0.0.10.
        List<SiloAddress> ordered = List.of(A, B, D, C);
        List<SiloAddress> shuffled = new ArrayList<>(ordered);
        for (int i = 0; i < 500; i++) {
            String key = "word-" + i;
            int hash = StableHash.hash("entry/" + key);
            SiloAddress expected = ordered.get((hash & 0x7fffffff) % ordered.size());
            Collections.shuffle(shuffled);
            TestPlacementContext here = new TestPlacementContext(A, shuffled);
            TestPlacementContext elsewhere = new TestPlacementContext(C, List.of(C, D, B, A));
            assertThat(place(director, here, key)).isEqualTo(expected);
            assertThat(place(director, elsewhere, key)).isEqualTo(expected);
        }
    }

    @Test
    void stableHashIsMurmur3() {
        // Reference values of MurmurHash3_x86_32 with seed 0.
        assertThat(StableHash.hash("")).isEqualTo(0);
        assertThat(StableHash.hash("hello")).isEqualTo(0x248bfa47);
        assertThat(StableHash.hash("The quick brown fox jumps over the lazy dog")).isEqualTo(0x2e4ff723);
    }

    @Test
    void activationCountBasedWithFullChoicePicksTheLeastLoaded() {
        ActivationCountBasedPlacementDirector director =
                new ActivationCountBasedPlacementDirector(new ActivationCountBasedPlacementOptions(3));
        director.updateActivationCount(A, 0);
        director.updateActivationCount(B, 5000);
        director.updateActivationCount(C, 5000);
        TestPlacementContext context = new TestPlacementContext(A, List.of(A, B, C));
        for (int i = 0; i < 1000; i++) {
            assertThat(director.onAddActivation(ActivationCountBasedPlacementStrategy.INSTANCE, target("k" + i), context)
                    .join()).isEqualTo(A);
        }
    }

    @Test
    void activationCountBasedBalancesNewActivationsAcrossSilos() {
        ActivationCountBasedPlacementDirector director =
                new ActivationCountBasedPlacementDirector(ActivationCountBasedPlacementOptions.DEFAULT);
        List<SiloAddress> silos = List.of(A, B, C);
        Map<SiloAddress, Integer> actual = new HashMap<>(Map.of(A, 5000, B, 0, C, 0));
        silos.forEach(s -> director.updateActivationCount(s, actual.get(s)));
        TestPlacementContext context = new TestPlacementContext(A, silos);
        for (int i = 0; i < 10_000; i++) {
            SiloAddress chosen = director.onAddActivation(ActivationCountBasedPlacementStrategy.INSTANCE,
                    target("n" + i), context).join();
            actual.merge(chosen, 1, Integer::sum);
            if (i % 500 == 499) { // the periodic publication of true counts
                silos.forEach(s -> director.updateActivationCount(s, actual.get(s)));
            }
        }
        double mean = actual.values().stream().mapToInt(Integer::intValue).average().orElseThrow();
        assertThat(actual.values()).allSatisfy(n -> assertThat((double) n).isBetween(mean * 0.85, mean * 1.15));
    }

    @Test
    void statelessWorkerRunsLocallyWhenPossible() {
        StatelessWorkerPlacementDirector director = new StatelessWorkerPlacementDirector();
        TestPlacementContext context = new TestPlacementContext(C, List.of(A, B, C));
        assertThat(director.onAddActivation(StatelessWorkerPlacementStrategy.INSTANCE, target("w"), context).join())
                .isEqualTo(C);
        TestPlacementContext remote = new TestPlacementContext(D, List.of(A, B));
        assertThat(director.onAddActivation(StatelessWorkerPlacementStrategy.INSTANCE, target("w"), remote).join())
                .isIn(A, B);
    }

    @Test
    void siloRoleBasedPicksOnlySilosWithTheKeyAsRole() {
        SiloRoleBasedPlacementDirector director = new SiloRoleBasedPlacementDirector();
        TestPlacementContext context = new TestPlacementContext(A, List.of(A, B, C));
        context.roles.put(A, "frontend");
        context.roles.put(B, "backend");
        context.roles.put(C, "backend");
        Set<SiloAddress> chosen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            chosen.add(place(director, context, "backend"));
        }
        assertThat(chosen).containsExactlyInAnyOrder(B, C);
        assertThatThrownBy(() -> place(director, context, "batch"))
                .isInstanceOf(PlacementException.class).hasMessageContaining("'batch'");
    }
}
