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
 * What a silo does with its observations in {@link ObservationBenchmarks}: {@code -Dbench.observe=off}
 * (no registry), {@code observed} (Spring Boot's meter handler: what an application with Actuator and
 * without tracing has) or {@code traced} (that plus Micrometer Tracing over OpenTelemetry, 10% of the
 * traces sampled and handed in batches to an exporter that drops them).
 */
enum ObservationMode {
    OFF,
    OBSERVED,
    TRACED;

    static final double SAMPLED = 0.1;

    static ObservationMode fromSystemProperty() {
        return valueOf(System.getProperty("bench.observe", "off").toUpperCase(java.util.Locale.ROOT));
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
