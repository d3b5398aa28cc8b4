package org.orleans4j.benchmarks;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import org.orleans4j.testing.InMemoryTracing;

/**
 * What a silo observes in {@link ObservationBenchmarks} ({@code -Dbench.observe=...} for the far silo):
 * <ul>
 * <li>{@code off}: no registry;</li>
 * <li>{@code observed}: Spring Boot's meter handler, grain calls not observed: what an application with
 * Actuator and without tracing has by default ({@code orleans.observations.grain-calls=auto});</li>
 * <li>{@code observed_calls}: the same with every grain call observed on both sides
 * ({@code orleans.observations.grain-calls=always});</li>
 * <li>{@code traced}: the meter handler plus Micrometer Tracing over OpenTelemetry, grain calls observed
 * (the default with a tracer), 10% of the traces sampled and handed in batches to an exporter that drops
 * them.</li>
 * </ul>
 */
enum ObservationMode {
    OFF,
    OBSERVED,
    OBSERVED_CALLS,
    TRACED;

    static final double SAMPLED = 0.1;

    static ObservationMode fromSystemProperty() {
        return valueOf(System.getProperty("bench.observe", "off").toUpperCase(java.util.Locale.ROOT));
    }

    /** Whether grain calls are observed in this mode. */
    boolean observesCalls() {
        return this == OBSERVED_CALLS || this == TRACED;
    }

    /** A fresh registry for this mode (a silo's own meters and tracer). */
    ObservationRegistry registry() {
        if (this == OFF) {
            return ObservationRegistry.NOOP;
        }
        ObservationRegistry registry = this == TRACED
                ? InMemoryTracing.sampling(SAMPLED, new DroppingExporter()).registry()
                : ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
        return registry;
    }

    /** Takes finished spans and drops them: the cost measured is the tracer's, not a collector's. */
    private static final class DroppingExporter implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
