package org.orleans4j.placement;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;

/**
 * Helpers shared by the built-in directors. Directors report failure through the returned future,
 * never by throwing, so callers see one failure path whichever director is in use.
 */
final class Directors {

    private Directors() {}

    /** Whether the context offers no silo at all (a context returning null is treated as empty). */
    static boolean none(@Nullable List<SiloAddress> silos) {
        return silos == null || silos.isEmpty();
    }

    static PlacementException noCompatibleSilo(PlacementTarget target) {
        int version = target.interfaceVersion();
        return new PlacementException("No active silo can host grain " + target.grainId() + " (type '"
                + target.grainId().type() + "'), called through "
                + target.grainInterface().getName()
                + (version == 0 ? "" : " version " + version)
                + "; is a silo of a build with this grain type"
                + (version == 0 ? "" : " and interface version") + " started and Active?");
    }

    static CompletableFuture<SiloAddress> failNoCompatibleSilo(PlacementTarget target) {
        return CompletableFuture.failedFuture(noCompatibleSilo(target));
    }

    static SiloAddress random(List<SiloAddress> silos) {
        // A single silo is the common (development, single-node) case: skip the random draw.
        return silos.size() == 1
                ? silos.get(0)
                : silos.get(ThreadLocalRandom.current().nextInt(silos.size()));
    }

    static CompletableFuture<SiloAddress> done(SiloAddress silo) {
        return CompletableFuture.completedFuture(silo);
    }

    /** The local silo when it is Active and among {@code silos}, else a random one of {@code silos}. */
    static SiloAddress localOrRandom(List<SiloAddress> silos, PlacementContext context) {
        SiloAddress local = context.localSilo();
        // A silo that is joining or shutting down must not take new activations, even its own.
        if (context.localSiloStatus().isActive() && silos.contains(local)) {
            return local;
        }
        return random(silos);
    }
}
