package org.orleans4j.placement;

/** @param chooseOutOf how many random compatible silos to compare (2: the power of two choices) */
public record ActivationCountBasedPlacementOptions(int chooseOutOf) {

    public static final ActivationCountBasedPlacementOptions DEFAULT = new ActivationCountBasedPlacementOptions(2);

    public ActivationCountBasedPlacementOptions {
        if (chooseOutOf < 1) {
            throw new IllegalArgumentException("chooseOutOf must be at least 1, was " + chooseOutOf);
        }
    }
}
