package org.orleans4j.placement;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.cluster.SiloAddress;

/**
 * Index = (stable hash of the grain id, made non-negative) modulo the number of compatible silos,
 * into those silos sorted by {@link SiloAddress} natural order. Every silo, in every JVM, computes
 * the same answer for the same membership; the answer changes when membership changes (this is
 * not consistent hashing).
 */
public final class HashBasedPlacementDirector implements PlacementDirector<PlacementStrategy> {

    @Override
    public CompletableFuture<SiloAddress> onAddActivation(
            PlacementStrategy strategy, PlacementTarget target, PlacementContext context) {
        List<SiloAddress> compatible = context.getCompatibleSilos(target);
        if (Directors.none(compatible)) {
            return Directors.failNoCompatibleSilo(target);
        }
        // The context's order is unspecified, so sort a copy: the choice must not depend on it.
        SiloAddress[] silos = compatible.toArray(new SiloAddress[0]);
        Arrays.sort(silos);
        // Masking (not Math.abs) keeps Integer.MIN_VALUE non-negative and matches the documented formula.
        int index = (target.grainId().stableHash() & 0x7fffffff) % silos.length;
        return Directors.done(silos[index]);
    }
}
