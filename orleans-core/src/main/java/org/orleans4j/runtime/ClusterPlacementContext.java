package org.orleans4j.runtime;

import java.util.List;
import java.util.Map;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.placement.PlacementContext;
import org.orleans4j.placement.PlacementTarget;

/** Answers placement directors from the silo's cluster view. Every Active silo hosts every grain type. */
final class ClusterPlacementContext implements PlacementContext {

    private final ClusterView cluster;

    ClusterPlacementContext(ClusterView cluster) {
        this.cluster = cluster;
    }

    @Override
    public SiloAddress localSilo() {
        return cluster.localSilo();
    }

    @Override
    public SiloStatus localSiloStatus() {
        return cluster.localStatus();
    }

    @Override
    public List<SiloAddress> getCompatibleSilos(PlacementTarget target) {
        return cluster.activeSilos();
    }

    @Override
    public Map<SiloAddress, String> getSiloRoles() {
        return cluster.roles();
    }
}
