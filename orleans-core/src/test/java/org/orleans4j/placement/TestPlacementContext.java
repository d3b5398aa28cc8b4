package org.orleans4j.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;

/**
 * A fixed cluster for director tests: the silos in the given order, the local one and its status,
 * silo roles, and silos marked incompatible (left out of {@link #getCompatibleSilos}).
 */
final class TestPlacementContext implements PlacementContext {

    final List<SiloAddress> silos;
    final SiloAddress local;
    volatile SiloStatus localStatus = SiloStatus.ACTIVE;
    final Map<SiloAddress, String> roles = new HashMap<>();
    final Set<SiloAddress> incompatible = new HashSet<>();

    TestPlacementContext(SiloAddress local, List<SiloAddress> silos) {
        this.local = local;
        this.silos = new ArrayList<>(silos);
    }

    static SiloAddress silo(String host, int port) {
        return new SiloAddress(host, port, 1_700_000_000L);
    }

    TestPlacementContext withIncompatible(SiloAddress... silos) {
        incompatible.addAll(List.of(silos));
        return this;
    }

    TestPlacementContext withLocalStatus(SiloStatus status) {
        localStatus = status;
        return this;
    }

    TestPlacementContext withRole(SiloAddress silo, String role) {
        roles.put(silo, role);
        return this;
    }

    @Override
    public SiloAddress localSilo() {
        return local;
    }

    @Override
    public SiloStatus localSiloStatus() {
        return localStatus;
    }

    @Override
    public List<SiloAddress> getCompatibleSilos(PlacementTarget target) {
        List<SiloAddress> compatible = new ArrayList<>(silos.size());
        for (SiloAddress silo : silos) {
            if (!incompatible.contains(silo)) {
                compatible.add(silo);
            }
        }
        return compatible;
    }

    @Override
    public Map<SiloAddress, String> getSiloRoles() {
        return Map.copyOf(roles);
    }
}
