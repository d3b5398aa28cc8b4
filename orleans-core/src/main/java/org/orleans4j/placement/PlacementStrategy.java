package org.orleans4j.placement;

import org.jspecify.annotations.Nullable;

/**
 * Decides, through its {@link PlacementDirector}, where new activations of a grain class go. A
 * grain class picks its strategy with an annotation meta-annotated {@link Placement}; classes
 * without one use the silo's default strategy ({@link RandomPlacementStrategy} unless replaced).
 * <p>
 * Subclasses are value objects: equal strategies must be interchangeable.
 */
public abstract class PlacementStrategy {

    /** Whether activations placed by this strategy are registered in the grain directory. */
    public boolean isUsingGrainDirectory() {
        return true;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
