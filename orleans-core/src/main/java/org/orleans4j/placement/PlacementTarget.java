package org.orleans4j.placement;

import java.util.Map;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.Version;

/**
 * What is being placed: the grain id, the interface it was called through, and the caller's
 * request context (which may carry a placement hint, see {@link PlacementHint}).
 */
public record PlacementTarget(GrainId grainId, Class<?> grainInterface, Map<String, Object> requestContext) {

    public PlacementTarget {
        requestContext = requestContext == null ? Map.of() : requestContext;
    }

    /** The {@link Version} of the interface the grain is called through (0 without one). */
    public int interfaceVersion() {
        Version version = grainInterface.getAnnotation(Version.class);
        return version == null ? 0 : version.value();
    }
}
