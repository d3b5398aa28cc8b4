package org.orleans4j.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orleans4j.catalog.ActivationStatistics;
import org.orleans4j.catalog.internal.ActivationData;
import org.orleans4j.catalog.internal.Catalog;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;

/**
 * A read-only view of one silo's activations, for Actuator, tests and benchmarks: what runs here and
 * how many, never a way to create, call or deactivate one.
 */
public final class SiloDiagnostics {

    private final SiloAddress silo;
    private final Catalog catalog;

    SiloDiagnostics(SiloAddress silo, Catalog catalog) {
        this.silo = silo;
        this.catalog = catalog;
    }

    /** Durable reminders this silo schedules now (those of its ranges of the ring); 0 without a reminder table. */
    public int remindersRunning() {
        return catalog.remindersRunning();
    }

    /** Activations on this silo, stateless workers included. */
    public int activationCount() {
        return catalog.activationCount();
    }

    /** Live activations per grain type name, sorted by name (types without activations left out). */
    public Map<String, Integer> activationCountsByType() {
        return catalog.activationCountsByType();
    }

    /** Counts per grain type since the silo started: live, created, collected. */
    public ActivationStatistics activationStatistics() {
        return catalog.statistics();
    }

    /** The address of this silo's activation of {@code grainId} (not a stateless worker), if it has one. */
    public Optional<GrainAddress> activationOf(GrainId grainId) {
        return Optional.ofNullable(catalog.get(grainId))
                .map(activation -> new GrainAddress(grainId, silo, activation.activationId()));
    }

    /** Whether this silo has an activation of {@code grainId} (not a stateless worker). */
    public boolean hasActivation(GrainId grainId) {
        return catalog.get(grainId) != null;
    }

    /** The grains this silo has activations of, stateless workers included (one entry an activation). */
    public List<GrainId> activeGrains() {
        return catalog.allActivations().stream().map(ActivationData::grainId).toList();
    }
}
