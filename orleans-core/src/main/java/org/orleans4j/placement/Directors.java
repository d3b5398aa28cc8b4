package org.orleans4j.placement;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.orleans4j.runtime.SiloAddress;

/** Helpers shared by the built-in directors. */
final class Directors {

    private Directors() {
    }

    static List<SiloAddress> compatibleOrThrow(PlacementTarget target, PlacementContext context) {
        List<SiloAddress> silos = context.getCompatibleSilos(target);
        if (silos == null || silos.isEmpty()) {
            throw new PlacementException("No active silo can host grain " + target.grainId() + " (type '"
                    + target.grainId().type() + "'); is the silo started and Active?");
        }
        return silos;
    }

    static SiloAddress random(List<SiloAddress> silos) {
        return silos.size() == 1 ? silos.get(0) : silos.get(ThreadLocalRandom.current().nextInt(silos.size()));
    }

    static CompletableFuture<SiloAddress> done(SiloAddress silo) {
        return CompletableFuture.completedFuture(silo);
    }

    /** The local silo when it is Active and compatible, else a random compatible one. */
    static SiloAddress localOrRandom(PlacementTarget target, PlacementContext context) {
        List<SiloAddress> silos = compatibleOrThrow(target, context);
        SiloAddress local = context.localSilo();
        if (context.localSiloStatus().isActive() && silos.contains(local)) {
            return local;
        }
        return random(silos);
    }
}
