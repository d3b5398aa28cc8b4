package org.orleans4j.spring.observation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Observations of the silo and the cluster client ({@code orleans.observations.*}). Activations,
 * deactivations, storage operations and reminder ticks are always observed when the application has
 * an {@code ObservationRegistry}; Spring Boot's
 * {@code management.observations.enable.orleans=false} turns every observation off.
 *
 * @param grainCalls Whether each grain call is observed on the caller's side
 *        ({@code orleans.call.outgoing}) and on the grain's side ({@code orleans.call.incoming}): with
 *        Micrometer Tracing these are the spans that carry a trace across silos. {@code auto} (the
 *        default) observes calls when a Micrometer Tracing {@code Tracer} is configured, and not
 *        otherwise: the {@code orleans.grain.calls} timer already times every call, and two
 *        observations cost more than a call between grains of one silo. {@code always} and
 *        {@code never} decide regardless of tracing
 */
@ConfigurationProperties("orleans.observations")
public record OrleansObservationProperties(
        @DefaultValue("auto") GrainCalls grainCalls) {

    /** When grain calls are observed. */
    public enum GrainCalls {
        /** When a Micrometer Tracing {@code Tracer} is configured. */
        AUTO,
        /** Always, with tracing or without. */
        ALWAYS,
        /** Never: calls are timed by {@code orleans.grain.calls} only, and traces stop at the caller. */
        NEVER
    }
}
