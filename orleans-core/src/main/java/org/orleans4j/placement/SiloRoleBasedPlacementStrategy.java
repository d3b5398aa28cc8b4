package org.orleans4j.placement;

/** A random compatible silo whose role equals the grain's key. Chosen with {@link SiloRoleBasedPlacement}. */
public final class SiloRoleBasedPlacementStrategy extends PlacementStrategy {

    public static final SiloRoleBasedPlacementStrategy INSTANCE = new SiloRoleBasedPlacementStrategy();
}
