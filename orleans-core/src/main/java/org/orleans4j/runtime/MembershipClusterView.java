package org.orleans4j.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloManifest;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.membership.ClusterMember;
import org.orleans4j.membership.ClusterMembershipSnapshot;

/** The cluster as the membership table last said, precomputed per snapshot so placement reads are free. */
final class MembershipClusterView implements ClusterView {

    private record View(
            List<SiloAddress> active, Map<SiloAddress, String> roles, Map<SiloAddress, SiloManifest> manifests) {}

    private final SiloAddress localSilo;
    private final Supplier<SiloStatus> localStatus;
    private volatile View view = new View(List.of(), Map.of(), Map.of());

    MembershipClusterView(SiloAddress localSilo, Supplier<SiloStatus> localStatus) {
        this.localSilo = localSilo;
        this.localStatus = localStatus;
    }

    void update(ClusterMembershipSnapshot snapshot) {
        List<SiloAddress> active = snapshot.activeSilos();
        Map<SiloAddress, String> roles = new HashMap<>();
        Map<SiloAddress, SiloManifest> manifests = new HashMap<>();
        for (SiloAddress silo : active) {
            ClusterMember member = snapshot.members().get(silo);
            String role = member.role() == null || member.role().isBlank() ? member.name() : member.role();
            roles.put(silo, role == null ? silo.toString() : role);
            if (member.manifest() != null) {
                manifests.put(silo, member.manifest());
            }
        }
        view = new View(List.copyOf(active), Map.copyOf(roles), Map.copyOf(manifests));
    }

    @Override
    public SiloAddress localSilo() {
        return localSilo;
    }

    @Override
    public SiloStatus localStatus() {
        return localStatus.get();
    }

    @Override
    public List<SiloAddress> activeSilos() {
        return view.active();
    }

    @Override
    public Map<SiloAddress, String> roles() {
        return view.roles();
    }

    @Override
    public @Nullable SiloManifest manifest(SiloAddress silo) {
        return view.manifests().get(silo);
    }
}
