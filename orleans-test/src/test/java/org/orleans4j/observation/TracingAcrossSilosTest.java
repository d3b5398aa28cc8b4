package org.orleans4j.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.observation.Observation;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.PersistentState;
import org.orleans4j.grain.Remindable;
import org.orleans4j.grain.RequestContext;
import org.orleans4j.grain.TickStatus;
import org.orleans4j.placement.PlacementHint;
import org.orleans4j.reminders.InMemoryReminderTable;
import org.orleans4j.reminders.ReminderOptions;
import org.orleans4j.testing.InMemoryTracing;
import org.orleans4j.testing.TestCluster;

/**
 * One trace from a cluster client through a grain on one silo to grains on another, with Micrometer
 * Tracing over the OpenTelemetry SDK as Spring Boot wires it: the trace context travels in each call's
 * request context, and every hop is a child of the one before.
 */
class TracingAcrossSilosTest {

    public interface FrontGrain extends GrainWithStringKey {
        /** Calls a back grain on {@code back}, then, in the continuation, another one. */
        CompletableFuture<String> relay(SiloAddress back);

        CompletableFuture<String> fail();

        /** Registers a reminder that ticks every 300 ms, until the grain unregisters it at its first tick. */
        CompletableFuture<Void> remind();

        /** Deactivates the grain once this call ends. */
        CompletableFuture<Void> leave();
    }

    public interface BackGrain extends GrainWithStringKey {
        CompletableFuture<String> record(String text);
    }

    public static class FrontGrainImpl extends GrainBase implements FrontGrain, Remindable {
        @Override
        public CompletableFuture<Void> remind() {
            return registerOrUpdateReminder("wake", Duration.ZERO, Duration.ofMillis(300))
                    .thenApply(reminder -> null);
        }

        @Override
        public CompletableFuture<Void> receiveReminder(String reminderName, TickStatus status) {
            return reminder(reminderName)
                    .thenCompose(reminder ->
                            reminder.map(this::unregisterReminder).orElse(CompletableFuture.completedFuture(null)));
        }

        @Override
        public CompletableFuture<Void> leave() {
            deactivateOnIdle();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<String> relay(SiloAddress back) {
            RequestContext.set(PlacementHint.REQUEST_CONTEXT_KEY, back);
            String key = primaryKeyString();
            return grainFactory()
                    .getGrain(BackGrain.class, key + "-first")
                    .record("one")
                    .thenCompose(first -> grainFactory()
                            .getGrain(BackGrain.class, key + "-second")
                            .record(first));
        }

        @Override
        public CompletableFuture<String> fail() {
            return CompletableFuture.failedFuture(new IllegalStateException("refused"));
        }
    }

    public record Lines(String text) {}

    public static class BackGrainImpl extends GrainBase implements BackGrain {
        private final PersistentState<Lines> lines = persistentState("lines", Lines.class, () -> new Lines(""));

        @Override
        public CompletableFuture<String> record(String text) {
            lines.setState(new Lines(lines.state().text() + text));
            return lines.writeState().thenApply(v -> text + "+" + primaryKeyString());
        }
    }

    private final InMemoryReminderTable reminders = new InMemoryReminderTable();
    private InMemoryTracing tracing;
    private TestCluster cluster;
    private ClusterClient client;

    @BeforeEach
    void start() {
        tracing = InMemoryTracing.sampleAll();
        cluster = TestCluster.builder()
                .silos(2)
                .gateways()
                .configure(b -> b.addGrainClass(FrontGrainImpl.class)
                        .addGrainClass(BackGrainImpl.class)
                        .allowSerialization(Lines.class)
                        .reminderTable(reminders)
                        .reminderOptions(new ReminderOptions(Duration.ofMillis(100), Duration.ofSeconds(30)))
                        .observationRegistry(tracing.registry()))
                .start();
        client = ClusterClient.builder()
                .clusterOptions(cluster.silo(0).clusterOptions())
                .staticGateways(List.of(cluster.gatewayEndpoints().get(0)))
                .observationRegistry(tracing.registry())
                .build();
        client.connect();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (tracing != null) {
            tracing.close();
        }
    }

    @Test
    void aCallThroughTheClientToAGrainThatCallsGrainsOnAnotherSiloIsOneTrace() {
        SiloAddress siloA = cluster.silo(0).address();
        SiloAddress siloB = cluster.silo(1).address();
        Observation request = Observation.start("test.request", tracing.registry());
        String answer;
        try (Observation.Scope scope = request.openScope()) {
            RequestContext.set(PlacementHint.REQUEST_CONTEXT_KEY, siloA);
            answer = client.grainFactory()
                    .getGrain(FrontGrain.class, "order-7")
                    .relay(siloB)
                    .join();
        } finally {
            RequestContext.clear();
            request.stop();
        }
        assertThat(answer).isEqualTo("one+order-7-first+order-7-second");

        // Every span of the trace is finished: the root, then 3 calls (each a client and a server span),
        // 3 activations and 2 state writes.
        await().atMost(Duration.ofSeconds(10)).until(() -> tracing.spans().size() >= 12);
        List<SpanData> spans = tracing.spans();
        SpanData root = only(spans, s -> s.getName().equals("test.request"));
        assertThat(spans).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(root.getTraceId()));

        SpanData clientCall = only(spans, call(SpanKind.CLIENT, "front"));
        assertThat(clientCall.getParentSpanId()).isEqualTo(root.getSpanId());
        assertThat(clientCall.getAttributes().get(AttributeKey.stringKey(GrainObservations.SILO)))
                .isNotIn(siloA.toString(), siloB.toString());
        SpanData front = only(spans, call(SpanKind.SERVER, "front"));
        assertThat(front.getParentSpanId()).isEqualTo(clientCall.getSpanId());
        assertThat(front.getName()).isEqualTo("front/relay");
        assertThat(attribute(front, GrainObservations.SILO)).isEqualTo(siloA.toString());
        assertThat(attribute(front, GrainObservations.METHOD)).isEqualTo("relay");
        assertThat(attribute(front, GrainObservations.OUTCOME)).isEqualTo("success");
        assertThat(attribute(front, GrainObservations.GRAIN_ID)).contains("order-7");

        // Both calls to back grains, the second made in the first's continuation, are children of the front
        // grain's span, and each runs on silo B as a child of its call.
        List<SpanData> backCalls =
                spans.stream().filter(call(SpanKind.CLIENT, "back")).toList();
        assertThat(backCalls).hasSize(2).allSatisfy(c -> {
            assertThat(c.getParentSpanId()).isEqualTo(front.getSpanId());
            assertThat(attribute(c, GrainObservations.SILO)).isEqualTo(siloA.toString());
            SpanData back = only(
                    spans,
                    s -> s.getKind() == SpanKind.SERVER && s.getParentSpanId().equals(c.getSpanId()));
            assertThat(back.getName()).isEqualTo("back/record");
            assertThat(attribute(back, GrainObservations.SILO)).isEqualTo(siloB.toString());
            SpanData write = only(spans, s -> s.getParentSpanId().equals(back.getSpanId()));
            assertThat(attribute(write, GrainObservations.OPERATION)).isEqualTo("write");
            assertThat(attribute(write, GrainObservations.STATE)).isEqualTo("lines");
            SpanData activation = only(
                    spans,
                    s -> s.getParentSpanId().equals(c.getSpanId())
                            && s.getName().startsWith("activate "));
            assertThat(attribute(activation, GrainObservations.SILO)).isEqualTo(siloB.toString());
            // The activation read the grain's state: that read is the activation's child.
            SpanData read = only(spans, s -> s.getParentSpanId().equals(activation.getSpanId()));
            assertThat(attribute(read, GrainObservations.OPERATION)).isEqualTo("read");
        });
    }

    @Test
    void aFailedCallEndsInAnErrorOnBothSides() {
        tracing.reset();
        assertThatThrownBy(() -> client.grainFactory()
                        .getGrain(FrontGrain.class, "failing")
                        .fail()
                        .join())
                .hasRootCauseMessage("refused");
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        tracing.spans().stream().filter(call(null, "front")).count() == 2);
        assertThat(tracing.spans().stream().filter(call(null, "front"))).allSatisfy(s -> {
            assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(attribute(s, GrainObservations.OUTCOME)).isEqualTo("failure");
        });
    }

    @Test
    void aReminderTickIsATraceWhoseChildIsTheGrainCallAndADeactivationIsObservedWithItsReason() {
        client.grainFactory().getGrain(FrontGrain.class, "alarm").remind().join();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> tracing.spans().stream().anyMatch(s -> s.getName().equals("reminder front")));
        SpanData tick = tracing.spans().stream()
                .filter(s -> s.getName().equals("reminder front"))
                .findFirst()
                .orElseThrow();
        assertThat(attribute(tick, GrainObservations.REMINDER)).isEqualTo("wake");
        assertThat(attribute(tick, GrainObservations.GRAIN_ID)).contains("alarm");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> tracing.spans().stream()
                        .anyMatch(s -> s.getParentSpanId().equals(tick.getSpanId())));
        SpanData delivery = tracing.spans().stream()
                .filter(s -> s.getParentSpanId().equals(tick.getSpanId()))
                .findFirst()
                .orElseThrow();
        assertThat(delivery.getName()).isEqualTo("front/receiveReminder");

        client.grainFactory().getGrain(FrontGrain.class, "alarm").leave().join();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> tracing.spans().stream().anyMatch(s -> s.getName().equals("deactivate front")));
        SpanData deactivation = tracing.spans().stream()
                .filter(s -> s.getName().equals("deactivate front"))
                .findFirst()
                .orElseThrow();
        assertThat(attribute(deactivation, GrainObservations.REASON)).isEqualTo("application_requested");
        assertThat(attribute(deactivation, GrainObservations.GRAIN_ID)).contains("alarm");
    }

    private static Predicate<SpanData> call(SpanKind kind, String grainType) {
        return s -> (kind == null || s.getKind() == kind)
                && !s.getName().startsWith("activate ")
                && grainType.equals(attribute(s, GrainObservations.GRAIN_TYPE))
                && attribute(s, GrainObservations.METHOD) != null;
    }

    private static String attribute(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    private static SpanData only(List<SpanData> spans, Predicate<SpanData> which) {
        List<SpanData> found = spans.stream().filter(which).toList();
        assertThat(found).as("spans matching in %s", spans).hasSize(1);
        return found.get(0);
    }
}
