package org.orleans4j.catalog.internal;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainId;
import org.orleans4j.observation.GrainObservations;
import org.slf4j.MDC;

/**
 * The part of a turn that runs in an observation's scope: a tracer makes its span current (and puts
 * the trace and span ids in the logging MDC), and the grain's id is in the MDC too, so what the grain
 * logs names the trace and the grain. Closing it restores what the thread had before.
 */
final class ObservedTurn implements AutoCloseable {

    private final Observation.@Nullable Scope scope;
    private final @Nullable String previousGrainId;

    private ObservedTurn(Observation.@Nullable Scope scope, String grainId) {
        this.scope = scope;
        this.previousGrainId = MDC.get(GrainObservations.MDC_GRAIN_ID);
        MDC.put(GrainObservations.MDC_GRAIN_ID, grainId);
    }

    /** Enters {@code observation}'s scope for a turn of {@code grainId}; null (nothing to close) without one. */
    static @Nullable ObservedTurn enter(@Nullable Observation observation, GrainId grainId) {
        return observation == null
                ? null
                : new ObservedTurn(GrainObservations.openScope(observation), grainId.toString());
    }

    @Override
    public void close() {
        try {
            if (scope != null) {
                GrainObservations.closeScope(scope);
            }
        } finally {
            if (previousGrainId == null) {
                MDC.remove(GrainObservations.MDC_GRAIN_ID);
            } else {
                MDC.put(GrainObservations.MDC_GRAIN_ID, previousGrainId);
            }
        }
    }
}
