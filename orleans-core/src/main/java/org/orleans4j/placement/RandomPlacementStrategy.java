package org.orleans4j.placement;

/** A random compatible silo (the default). Chosen with {@link RandomPlacement}. */
public final class RandomPlacementStrategy extends PlacementStrategy {

    public static final RandomPlacementStrategy INSTANCE = new RandomPlacementStrategy();
}
