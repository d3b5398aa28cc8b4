package org.orleans4j.testing;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer Tracing over the OpenTelemetry SDK, wired the way Spring Boot wires it (W3C trace
 * context, propagating sender and receiver handlers, a parent-based sampler), with finished spans kept
 * in memory. Give {@link #registry()} to silos and clients in one JVM and read {@link #spans()}.
 */
public final class InMemoryTracing implements AutoCloseable {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider;
    private final ObservationRegistry registry = ObservationRegistry.create();

    private InMemoryTracing(Sampler sampler, @Nullable SpanExporter elsewhere) {
        provider = SdkTracerProvider.builder()
                .setSampler(Sampler.parentBased(sampler))
                .addSpanProcessor(
                        elsewhere == null
                                ? SimpleSpanProcessor.create(exporter)
                                : BatchSpanProcessor.builder(elsewhere).build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        io.opentelemetry.api.trace.Tracer otelTracer = sdk.getTracer("org.orleans4j.testing");
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        OtelTracer tracer =
                new OtelTracer(otelTracer, current, event -> {}, new OtelBaggageManager(current, List.of(), List.of()));
        OtelPropagator propagator = new OtelPropagator(sdk.getPropagators(), otelTracer);
        registry.observationConfig()
                .observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                        new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                        new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                        new DefaultTracingObservationHandler(tracer)));
    }

    /** Every trace is sampled. */
    public static InMemoryTracing sampleAll() {
        return new InMemoryTracing(Sampler.alwaysOn(), null);
    }

    /** A share of new traces is sampled (calls follow their caller's decision), as a production tracer would. */
    public static InMemoryTracing sampling(double ratio) {
        return new InMemoryTracing(Sampler.traceIdRatioBased(ratio), null);
    }

    /**
     * A share of new traces is sampled and handed in batches to {@code exporter}, as a production
     * tracer does (benchmarks: an exporter that only counts); {@link #spans()} stays empty.
     */
    public static InMemoryTracing sampling(double ratio, SpanExporter exporter) {
        return new InMemoryTracing(Sampler.traceIdRatioBased(ratio), exporter);
    }

    /** Where silos and clients make their observations. */
    public ObservationRegistry registry() {
        return registry;
    }

    /** The spans finished so far. */
    public List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }

    /** Forgets the spans finished so far. */
    public void reset() {
        exporter.reset();
    }

    @Override
    public void close() {
        provider.close();
    }
}
