package org.orleans4j.placement;

import java.util.List;
import java.util.Map;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;

/** What a {@link PlacementDirector} may know about the cluster when it decides. */
public interface PlacementContext {

    SiloAddress localSilo();

    SiloStatus localSiloStatus();

    /**
     * The Active silos that can host the target's grain type and serve the version of the interface it
     * is called through; while silos of several application versions run, those of the newest. Never
     * empty when placement is possible; the order is unspecified (sort it when the choice must be
     * deterministic).
     */
    List<SiloAddress> getCompatibleSilos(PlacementTarget target);

    /**
     * Every Active silo that can host the target, of whatever application version: where
     * {@link #getCompatibleSilos} offers only the newest version's silos during a rolling upgrade, this
     * offers the older ones too (stateless workers run where they are called, when they can).
     */
    default List<SiloAddress> getAllCompatibleSilos(PlacementTarget target) {
        return getCompatibleSilos(target);
    }

    /** The role name of each Active silo (a silo without a configured role has its silo name). */
    Map<SiloAddress, String> getSiloRoles();
}
