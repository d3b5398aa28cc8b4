package org.orleans4j.placement;

import org.orleans4j.grain.GrainException;

/** No silo could be chosen for a new activation. */
public class PlacementException extends GrainException {

    public PlacementException(String message) {
        super(message);
    }
}
