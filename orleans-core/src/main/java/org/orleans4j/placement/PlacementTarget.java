package org.orleans4j.placement;

import java.util.Map;
import org.orleans4j.grain.GrainId;

/**
 * What is being placed: the grain id, the interface it was called through, and the caller's
 * request context (which may carry a placement hint, see {@link PlacementHint}).
 */
public record PlacementTarget(GrainId grainId, Class<?> grainInterface, Map<String, Object> requestContext) {

    public PlacementTarget {
        requestContext = requestContext == null ? Map.of() : requestContext;
    }
}
