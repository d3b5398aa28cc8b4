package org.orleans4j.placement;

import org.orleans4j.grain.GrainException;

/**
 * No silo could be chosen for a new activation: no compatible Active silo, no silo with the
 * requested role, or no director registered for the grain's strategy.
 */
public class PlacementException extends GrainException {

    public PlacementException(String message) {
        super(message);
    }

    public PlacementException(String message, Throwable cause) {
        super(message, cause);
    }
}
