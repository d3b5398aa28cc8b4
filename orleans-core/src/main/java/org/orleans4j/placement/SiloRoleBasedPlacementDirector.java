package org.orleans4j.placement;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.runtime.SiloAddress;

/** The grain's key names a silo role; a random compatible silo with that role is chosen. */
public final class SiloRoleBasedPlacementDirector implements PlacementDirector<PlacementStrategy> {

    @Override
    public CompletableFuture<SiloAddress> onAddActivation(PlacementStrategy strategy, PlacementTarget target,
            PlacementContext context) {
        String role = target.grainId().key();
        Map<SiloAddress, String> roles = context.getSiloRoles();
        List<SiloAddress> matching = Directors.compatibleOrThrow(target, context).stream()
                .filter(silo -> role.equals(roles.get(silo)))
                .toList();
        if (matching.isEmpty()) {
            throw new PlacementException("No active silo has role '" + role + "' for grain " + target.grainId()
                    + "; silo roles: " + roles.values());
        }
        return Directors.done(Directors.random(matching));
    }
}
