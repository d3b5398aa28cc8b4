package org.orleans4j.placement;

/** The local silo when it is compatible and Active, else a random one. Chosen with {@link PreferLocalPlacement}. */
public final class PreferLocalPlacementStrategy extends PlacementStrategy {

    public static final PreferLocalPlacementStrategy INSTANCE = new PreferLocalPlacementStrategy();
}
