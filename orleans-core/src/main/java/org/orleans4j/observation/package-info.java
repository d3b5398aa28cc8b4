/**
 * Micrometer {@link io.micrometer.observation.Observation Observations} of the runtime: grain calls on
 * the caller's and on the grain's side, activations, deactivations, storage operations and reminder
 * ticks. With Micrometer Tracing on the registry they become spans, and the trace context travels with
 * each call in its {@link org.orleans4j.grain.RequestContext request context} (W3C {@code traceparent}),
 * so one trace spans silos, gateways and clients.
 */
@NullMarked
package org.orleans4j.observation;

import org.jspecify.annotations.NullMarked;
