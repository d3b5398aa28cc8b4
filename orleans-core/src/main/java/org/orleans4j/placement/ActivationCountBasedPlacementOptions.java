package org.orleans4j.placement;

/**
 * Options of {@link ActivationCountBasedPlacementDirector}.
 *
 * @param chooseOutOf how many distinct random compatible silos to compare, at least 1 (2, the
 *                    default, is the power of two choices; 1 is plain random placement)
 */
public record ActivationCountBasedPlacementOptions(int chooseOutOf) {

    public static final ActivationCountBasedPlacementOptions DEFAULT = new ActivationCountBasedPlacementOptions(2);

    public ActivationCountBasedPlacementOptions {
        if (chooseOutOf < 1) {
            throw new IllegalArgumentException("chooseOutOf must be at least 1, was " + chooseOutOf);
        }
    }
}
