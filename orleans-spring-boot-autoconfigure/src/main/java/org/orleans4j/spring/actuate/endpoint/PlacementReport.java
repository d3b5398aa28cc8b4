package org.orleans4j.spring.actuate.endpoint;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.membership.ClusterMembershipService;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.runtime.ClusterStatistics.SiloStatistics;
import org.orleans4j.runtime.Silo;

/**
 * How new activations are placed: the strategy of each grain type, and the figures that
 * activation-count-based placement compares on this silo.
 *
 * @param defaultStrategy the strategy of grain classes without a placement annotation
 * @param grainTypes per grain type name
 * @param silos per Active silo (in this silo's view), in address order
 */
public record PlacementReport(String defaultStrategy, Map<String, GrainType> grainTypes, List<SiloLoad> silos) {

    /**
     * A grain type's placement.
     *
     * @param maxLocalWorkers activations per silo and grain id for stateless workers, else {@code null}
     */
    public record GrainType(String grainClass, String strategy, Integer maxLocalWorkers) {}

    /**
     * What activation-count-based placement sees of one silo.
     *
     * @param activationCountEstimate the silo's last published count plus the placements this silo has
     *                                made there since: the figure the placement compares
     * @param publishedActivations the count the silo last published ({@code null} if none arrived yet)
     */
    public record SiloLoad(String address, int activationCountEstimate, Integer publishedActivations) {}

    static PlacementReport of(Silo silo) {
        Map<String, GrainType> types = new TreeMap<>();
        for (GrainClassMetadata grainClass : silo.grainTypes().grainClasses()) {
            types.put(
                    grainClass.typeName(),
                    new GrainType(
                            grainClass.grainClass().getName(),
                            StrategyNames.of(grainClass.placementStrategy()),
                            grainClass.isStatelessWorker() ? grainClass.maxLocalWorkers() : null));
        }
        Map<SiloAddress, SiloStatistics> published = silo.clusterStatistics().silos();
        List<SiloLoad> silos = activeSilos(silo).stream()
                .map(address -> {
                    SiloStatistics counts = published.get(address);
                    return new SiloLoad(
                            address.toString(),
                            silo.activationCountEstimate(address),
                            counts == null ? null : counts.activations());
                })
                .toList();
        return new PlacementReport(StrategyNames.of(silo.grainTypes().defaultPlacementStrategy()), types, silos);
    }

    private static List<SiloAddress> activeSilos(Silo silo) {
        ClusterMembershipService membership = silo.membership();
        if (membership == null) {
            return silo.status().isActive() ? List.of(silo.address()) : List.of();
        }
        return membership.currentSnapshot().activeSilos();
    }
}
