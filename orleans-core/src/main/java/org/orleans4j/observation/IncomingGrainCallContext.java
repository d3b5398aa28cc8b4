package org.orleans4j.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainId;

/**
 * A grain call on the grain's side, from the turn it starts in until its result is handed back. A
 * propagating tracing handler reads the caller's trace context from the call's request context.
 */
public final class IncomingGrainCallContext extends ReceiverContext<Map<String, Object>> {

    private final GrainId grainId;
    private final String grainType;
    private final String method;

    IncomingGrainCallContext(
            GrainId grainId, String grainType, String method, @Nullable Map<String, Object> requestContext) {
        this(grainId, grainType, method, requestContext, Kind.SERVER);
    }

    IncomingGrainCallContext(
            GrainId grainId, String grainType, String method, @Nullable Map<String, Object> requestContext, Kind kind) {
        super((carrier, key) -> carrier.get(key) instanceof String value ? value : null, kind);
        this.grainId = grainId;
        this.grainType = grainType;
        this.method = method;
        setCarrier(requestContext == null ? Map.of() : requestContext);
        setRemoteServiceName("orleans");
    }

    /** The called grain. */
    public GrainId grainId() {
        return grainId;
    }

    /** The called grain's type name (bounded: one per grain class). */
    public String grainType() {
        return grainType;
    }

    /** The called method's name (for an activation, {@code activate}). */
    public String method() {
        return method;
    }
}
