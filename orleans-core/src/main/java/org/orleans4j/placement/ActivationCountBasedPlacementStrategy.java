package org.orleans4j.placement;

/** The least loaded of a few random compatible silos, by the activation counts silos publish (power of two choices). Chosen with {@link ActivationCountBasedPlacement}. */
public final class ActivationCountBasedPlacementStrategy extends PlacementStrategy {

    public static final ActivationCountBasedPlacementStrategy INSTANCE = new ActivationCountBasedPlacementStrategy();
}
