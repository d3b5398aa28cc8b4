package org.orleans4j.placement;

import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;

/**
 * A caller may pin where a new activation goes by putting a {@link SiloAddress} in the request
 * context under {@link #REQUEST_CONTEXT_KEY}; it is honoured when that silo is compatible.
 */
public final class PlacementHint {

    public static final String REQUEST_CONTEXT_KEY = "orleans.placement.hint";

    private PlacementHint() {}

    /** The hinted silo, or {@code null}. */
    public static @Nullable SiloAddress of(PlacementTarget target) {
        return target.requestContext().get(REQUEST_CONTEXT_KEY) instanceof SiloAddress silo ? silo : null;
    }
}
