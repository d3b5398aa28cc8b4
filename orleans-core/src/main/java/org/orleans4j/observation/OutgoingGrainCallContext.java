package org.orleans4j.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainId;

/**
 * A grain call on its caller's side. Its carrier is the call's request context: a propagating tracing
 * handler writes the trace context ({@code traceparent}) into it, and it travels with the call.
 */
public final class OutgoingGrainCallContext extends SenderContext<Map<String, Object>> {

    private final GrainId grainId;
    private final String grainType;
    private final String method;
    private Observation observation = Observation.NOOP;

    OutgoingGrainCallContext(
            GrainId grainId, String grainType, String method, @Nullable Map<String, Object> requestContext) {
        super((carrier, key, value) -> carrier.put(key, value), Kind.CLIENT);
        this.grainId = grainId;
        this.grainType = grainType;
        this.method = method;
        setCarrier(requestContext == null ? new HashMap<>(4) : new HashMap<>(requestContext));
        setRemoteServiceName("orleans");
    }

    void observation(Observation observation) {
        this.observation = observation;
    }

    /** The observation of the call (a no-op one when observations are turned off by a predicate). */
    public Observation observation() {
        return observation;
    }

    /** The called grain. */
    public GrainId grainId() {
        return grainId;
    }

    /** The called grain's type name (bounded: one per grain class). */
    public String grainType() {
        return grainType;
    }

    /** The called method's name. */
    public String method() {
        return method;
    }

    /** The request context the call carries: the caller's, plus what the handlers wrote into it. */
    public @Nullable Map<String, Object> requestContext() {
        // Not copied: nothing writes to the carrier once the observation has started.
        Map<String, Object> carrier = getCarrier();
        return carrier == null || carrier.isEmpty() ? null : carrier;
    }
}
