package org.orleans4j.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.cluster.SiloAddress;

/**
 * The grain's key names a silo role; a random compatible silo with exactly that role is chosen.
 * No such silo fails the placement rather than falling back, since the caller asked for that role.
 */
public final class SiloRoleBasedPlacementDirector implements PlacementDirector<PlacementStrategy> {

    @Override
    public CompletableFuture<SiloAddress> onAddActivation(
            PlacementStrategy strategy, PlacementTarget target, PlacementContext context) {
        List<SiloAddress> silos = context.getCompatibleSilos(target);
        if (Directors.none(silos)) {
            return Directors.failNoCompatibleSilo(target);
        }
        String role = target.grainId().key();
        Map<SiloAddress, String> roles = context.getSiloRoles();
        List<SiloAddress> matching = new ArrayList<>();
        for (SiloAddress silo : silos) {
            if (role.equals(roles.get(silo))) {
                matching.add(silo);
            }
        }
        if (matching.isEmpty()) {
            return CompletableFuture.failedFuture(new PlacementException("No active silo has role '" + role
                    + "' to host grain " + target.grainId() + "; roles of the active silos: "
                    + knownRoles(roles)));
        }
        return Directors.done(Directors.random(matching));
    }

    /** The distinct roles, sorted, so the error message is stable and readable. */
    private static TreeSet<String> knownRoles(Map<SiloAddress, String> roles) {
        TreeSet<String> known = new TreeSet<>();
        roles.values().stream().filter(Objects::nonNull).forEach(known::add);
        return known;
    }
}
