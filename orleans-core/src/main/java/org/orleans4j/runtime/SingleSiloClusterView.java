package org.orleans4j.runtime;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloManifest;
import org.orleans4j.cluster.SiloStatus;

/** Membership of a cluster of one: this silo, Active while it runs. */
final class SingleSiloClusterView implements ClusterView {

    private final SiloAddress localSilo;
    private final String role;
    private final Supplier<SiloStatus> status;
    private final List<SiloAddress> self;

    SingleSiloClusterView(SiloAddress localSilo, String role, Supplier<SiloStatus> status) {
        this.localSilo = localSilo;
        this.role = role;
        this.status = status;
        this.self = List.of(localSilo);
    }

    @Override
    public SiloAddress localSilo() {
        return localSilo;
    }

    @Override
    public SiloStatus localStatus() {
        return status.get();
    }

    @Override
    public List<SiloAddress> activeSilos() {
        return status.get().isActive() ? self : List.of();
    }

    @Override
    public Map<SiloAddress, String> roles() {
        return status.get().isActive() ? Map.of(localSilo, role) : Map.of();
    }

    /** Unknown: a silo alone places everything on itself, and its catalog knows what it hosts. */
    @Override
    public @Nullable SiloManifest manifest(SiloAddress silo) {
        return null;
    }
}
