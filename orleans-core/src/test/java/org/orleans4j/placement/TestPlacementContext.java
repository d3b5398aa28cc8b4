package org.orleans4j.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.orleans4j.runtime.SiloAddress;
import org.orleans4j.runtime.SiloStatus;

/** A fixed cluster for director tests: a list of silos, the local one, roles. */
final class TestPlacementContext implements PlacementContext {

    final List<SiloAddress> silos;
    final SiloAddress local;
    SiloStatus localStatus = SiloStatus.ACTIVE;
    final Map<SiloAddress, String> roles = new HashMap<>();

    TestPlacementContext(SiloAddress local, List<SiloAddress> silos) {
        this.local = local;
        this.silos = new ArrayList<>(silos);
    }

    static SiloAddress silo(String host, int port) {
        return new SiloAddress(host, port, 1_700_000_000L);
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
        return List.copyOf(silos);
    }

    @Override
    public Map<SiloAddress, String> getSiloRoles() {
        return Map.copyOf(roles);
    }
}
