package org.orleans4j.directory.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;

/**
 * The entries this silo owns in the distributed directory. First registration wins; an entry that
 * points at a silo known to be dead does not count, so a grain of a dead silo can be registered anew.
 */
final class DirectoryPartition {

    private final ConcurrentHashMap<GrainId, GrainAddress> entries = new ConcurrentHashMap<>();
    private final Predicate<SiloAddress> isDead;

    DirectoryPartition(Predicate<SiloAddress> isDead) {
        this.isDead = isDead;
    }

    GrainAddress register(GrainAddress address, @Nullable GrainAddress previous) {
        return entries.compute(
                address.grainId(),
                (id, current) -> current == null
                                || current.equals(previous)
                                || current.equals(address)
                                || isDead.test(current.silo())
                        ? address
                        : current);
    }

    void unregister(GrainAddress address) {
        entries.remove(address.grainId(), address);
    }

    @Nullable
    GrainAddress lookup(GrainId grainId) {
        GrainAddress address = entries.get(grainId);
        if (address != null && isDead.test(address.silo())) {
            entries.remove(grainId, address);
            return null;
        }
        return address;
    }

    void removeSilos(Collection<SiloAddress> silos) {
        if (!silos.isEmpty()) {
            entries.values().removeIf(address -> silos.contains(address.silo()));
        }
    }

    /** Removes and returns the entries of the grains {@code taken} selects (a range another silo takes over). */
    List<GrainAddress> take(Predicate<GrainId> taken) {
        List<GrainAddress> moved = new ArrayList<>();
        for (GrainAddress address : entries.values()) {
            if (taken.test(address.grainId()) && entries.remove(address.grainId(), address)) {
                moved.add(address);
            }
        }
        return moved;
    }

    /**
     * Stores an entry taken over from another silo unless the grain already has a live one; returns the
     * entry afterwards (a different one means two activations claimed the grain, the first kept).
     */
    GrainAddress adopt(GrainAddress address) {
        return entries.compute(
                address.grainId(), (id, current) -> current == null || isDead.test(current.silo()) ? address : current);
    }

    int size() {
        return entries.size();
    }
}
