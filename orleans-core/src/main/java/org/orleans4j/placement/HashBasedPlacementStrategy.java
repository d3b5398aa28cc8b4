package org.orleans4j.placement;

/** The compatible silo at index (stable hash of the grain id) modulo their count, in address order. Not stable across membership changes. Chosen with {@link HashBasedPlacement}. */
public final class HashBasedPlacementStrategy extends PlacementStrategy {

    public static final HashBasedPlacementStrategy INSTANCE = new HashBasedPlacementStrategy();
}
