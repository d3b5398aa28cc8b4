package org.orleans4j.catalog.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.directory.internal.LocalActivations;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.GrainId;

/**
 * The single activations of one silo by grain id (stateless workers are grouped by the catalog). Its own
 * object, not a part of the {@link Catalog}, because the distributed directory reads it (which
 * activations to re-register, which to report to a new owner) and the catalog needs the directory: the
 * table is built first, then the directory, then the catalog.
 */
public final class ActivationTable implements LocalActivations {

    private final ConcurrentHashMap<GrainId, ActivationData> activations = new ConcurrentHashMap<>();

    @Nullable
    ActivationData get(GrainId grainId) {
        return activations.get(grainId);
    }

    ActivationData getOrCreate(GrainId grainId, Function<GrainId, ActivationData> create) {
        ActivationData activation = activations.get(grainId);
        return activation != null ? activation : activations.computeIfAbsent(grainId, create);
    }

    void remove(ActivationData activation) {
        activations.remove(activation.grainId(), activation);
    }

    Collection<ActivationData> all() {
        return activations.values();
    }

    int size() {
        return activations.size();
    }

    @Override
    public List<GrainAddress> registering() {
        List<GrainAddress> addresses = new ArrayList<>();
        for (ActivationData activation : activations.values()) {
            if (activation.grainClass().placementStrategy().isUsingGrainDirectory()
                    && activation.isValidOrActivating()) {
                addresses.add(activation.address());
            }
        }
        return addresses;
    }

    @Override
    public List<GrainAddress> confirmed() {
        List<GrainAddress> addresses = new ArrayList<>();
        for (ActivationData activation : activations.values()) {
            if (activation.holdsRegistration()) {
                addresses.add(activation.address());
            }
        }
        return addresses;
    }

    /** Whether {@code address} names a live activation of this silo. */
    boolean isLive(GrainAddress address) {
        ActivationData activation = activations.get(address.grainId());
        return activation != null && activation.address().equals(address) && activation.isValidOrActivating();
    }

    /** Another activation of the grain won the directory: this one deactivates, forwarding what it has queued. */
    @Override
    public void duplicate(GrainAddress address) {
        ActivationData activation = activations.get(address.grainId());
        if (activation != null && activation.address().equals(address)) {
            activation.enqueue(new ActivationData.Deactivate(DeactivationReason.DUPLICATE_ACTIVATION));
        }
    }
}
