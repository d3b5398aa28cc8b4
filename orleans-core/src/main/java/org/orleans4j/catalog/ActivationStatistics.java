package org.orleans4j.catalog;

import java.util.Map;

/**
 * Counts of this silo's activations per grain type, kept as activations come and go, so that
 * reading them (every second for placement statistics, on every metrics scrape or endpoint call)
 * costs a copy of a small map, never a scan of the activations.
 */
public interface ActivationStatistics {

    /** Live activations per grain type name (types seen since start, zero included), sorted by name. */
    Map<String, Integer> activationsByType();

    /** Live activations of one grain type. */
    int activations(String grainType);

    /** Activations created since start, per grain type. */
    Map<String, Long> createdByType();

    /** Activations of one grain type created since start. */
    long createdCount(String grainType);

    /** Activations of one grain type collected (deactivated because idle) since start. */
    long collectedCount(String grainType);

    /** Activations deactivated because they were idle (collected) since start, per grain type. */
    Map<String, Long> collectedByType();
}
