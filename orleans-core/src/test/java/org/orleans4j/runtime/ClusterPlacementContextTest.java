package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloManifest;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.Version;
import org.orleans4j.membership.ClusterMember;
import org.orleans4j.membership.ClusterMembershipSnapshot;
import org.orleans4j.placement.PlacementException;
import org.orleans4j.placement.PlacementTarget;
import org.orleans4j.placement.RandomPlacementDirector;
import org.orleans4j.placement.RandomPlacementStrategy;
import org.orleans4j.placement.StatelessWorkerPlacementDirector;
import org.orleans4j.placement.StatelessWorkerPlacementStrategy;

/** Placement offers the silos whose manifests host the grain, and during a rollout the newest build's. */
class ClusterPlacementContextTest {

    interface CartGrain extends GrainWithStringKey {
        CompletableFuture<Void> add(String item);
    }

    @Version(2)
    interface CartGrainV2 extends GrainWithStringKey {
        CompletableFuture<Void> add(String item);
    }

    private static final SiloAddress OLD_A = new SiloAddress("10.0.0.1", 11111, 1);
    private static final SiloAddress OLD_B = new SiloAddress("10.0.0.2", 11111, 1);
    private static final SiloAddress NEW = new SiloAddress("10.0.0.3", 11111, 2);
    private static final SiloAddress UNKNOWN = new SiloAddress("10.0.0.4", 11111, 2);

    private final MembershipClusterView view = new MembershipClusterView(OLD_A, () -> SiloStatus.ACTIVE);

    private static ClusterMember member(SiloAddress silo, SiloManifest manifest) {
        return new ClusterMember(silo, SiloStatus.ACTIVE, silo.host(), null, manifest);
    }

    private static SiloManifest manifest(String appVersion, Set<String> types, int cartVersion) {
        return new SiloManifest(
                appVersion,
                types,
                Map.of(CartGrain.class.getName(), cartVersion, CartGrainV2.class.getName(), cartVersion));
    }

    private void members(ClusterMember... members) {
        Map<SiloAddress, ClusterMember> byAddress = new java.util.HashMap<>();
        for (ClusterMember member : members) {
            byAddress.put(member.silo(), member);
        }
        view.update(new ClusterMembershipSnapshot(byAddress, 7));
    }

    private static PlacementTarget target(String type, Class<?> grainInterface) {
        return new PlacementTarget(GrainId.ofString(type, "k"), grainInterface, Map.of());
    }

    @Test
    void aGrainTypeGoesOnlyToSilosThatHostIt() {
        members(
                member(OLD_A, manifest("1.0.0", Set.of("Cart"), 0)),
                member(OLD_B, manifest("1.0.0", Set.of("Cart"), 0)),
                member(NEW, manifest("1.0.0", Set.of("Cart", "Gift"), 0)));
        ClusterPlacementContext context = new ClusterPlacementContext(view, true);
        assertThat(context.getCompatibleSilos(target("Gift", CartGrain.class))).containsExactly(NEW);
        assertThat(context.getCompatibleSilos(target("Cart", CartGrain.class)))
                .containsExactlyInAnyOrder(OLD_A, OLD_B, NEW);
        assertThat(context.getCompatibleSilos(target("Nowhere", CartGrain.class)))
                .isEmpty();
    }

    @Test
    void noSiloForAGrainFailsPlacementNamingTypeInterfaceAndVersion() {
        members(member(OLD_A, manifest("1.0.0", Set.of("Cart"), 1)));
        ClusterPlacementContext context = new ClusterPlacementContext(view, true);
        CompletableFuture<SiloAddress> placed = new RandomPlacementDirector()
                .onAddActivation(RandomPlacementStrategy.INSTANCE, target("Cart", CartGrainV2.class), context);
        assertThatThrownBy(placed::join)
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(PlacementException.class)
                .hasMessageContaining("'Cart'")
                .hasMessageContaining(CartGrainV2.class.getName() + " version 2");
    }

    @Test
    void aCallThroughALaterInterfaceVersionGoesToSilosThatServeIt() {
        members(member(OLD_A, manifest("1.0.0", Set.of("Cart"), 1)), member(NEW, manifest("1.0.0", Set.of("Cart"), 2)));
        ClusterPlacementContext context = new ClusterPlacementContext(view, false);
        assertThat(context.getCompatibleSilos(target("Cart", CartGrainV2.class)))
                .containsExactly(NEW);
        assertThat(context.getCompatibleSilos(target("Cart", CartGrain.class)))
                .as("version 0 callers: any later version serves them")
                .containsExactlyInAnyOrder(OLD_A, NEW);
    }

    @Test
    void duringARolloutNewActivationsGoToTheNewestVersionUnlessTurnedOff() {
        members(
                member(OLD_A, manifest("1.9.3", Set.of("Cart"), 0)),
                member(OLD_B, manifest("1.9.3", Set.of("Cart"), 0)),
                member(NEW, manifest("1.10.0", Set.of("Cart"), 0)));
        PlacementTarget cart = target("Cart", CartGrain.class);
        assertThat(new ClusterPlacementContext(view, true).getCompatibleSilos(cart))
                .containsExactly(NEW);
        assertThat(new ClusterPlacementContext(view, false).getCompatibleSilos(cart))
                .containsExactlyInAnyOrder(OLD_A, OLD_B, NEW);
        assertThat(new ClusterPlacementContext(view, true).getAllCompatibleSilos(cart))
                .containsExactlyInAnyOrder(OLD_A, OLD_B, NEW);
    }

    @Test
    void statelessWorkersStayOnTheCallingSiloOfAnOlderVersion() {
        members(member(OLD_A, manifest("1.0.0", Set.of("Cart"), 0)), member(NEW, manifest("2.0.0", Set.of("Cart"), 0)));
        ClusterPlacementContext context = new ClusterPlacementContext(view, true);
        SiloAddress chosen = new StatelessWorkerPlacementDirector()
                .onAddActivation(new StatelessWorkerPlacementStrategy(1), target("Cart", CartGrain.class), context)
                .join();
        assertThat(chosen).isEqualTo(OLD_A);
    }

    @Test
    void aSiloWhoseRowSaysNothingIsTakenToHostEverything() {
        members(
                new ClusterMember(UNKNOWN, SiloStatus.ACTIVE, "legacy", null),
                member(NEW, manifest("", Set.of("Cart"), 0)));
        ClusterPlacementContext context = new ClusterPlacementContext(view, true);
        assertThat(context.getCompatibleSilos(target("Gift", CartGrain.class))).containsExactly(UNKNOWN);
        assertThat(context.getCompatibleSilos(target("Cart", CartGrain.class))).containsExactlyInAnyOrder(UNKNOWN, NEW);
    }
}
