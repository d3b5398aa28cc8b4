package org.orleans4j.example.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.example.tracing.OtlpTraceReceiver.Span;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.JvmProcess;
import org.orleans4j.testing.db.EmbeddedPostgresServer;
import org.orleans4j.testing.db.PostgresDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One trace across three JVMs, exported over OTLP/HTTP as a user's collector receives it: a REST call
 * to the application in client mode calls a grain on the silo of role {@code front}, which calls a
 * grain on the silo of role {@code back}. Every hop is the child of the one before, each span names its
 * grain, method and silo, and the grain's log line carries the trace id and the grain id (MDC).
 */
class TraceAcrossProcessesTest {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Pattern STARTED = Pattern.compile("Started TracingApplication");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<JvmProcess> processes = new ArrayList<>();
    private OtlpTraceReceiver receiver;
    private PostgresDatabase database;

    /** Kept when the test fails, for the JVMs' logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    @AfterEach
    void stop() {
        processes.forEach(JvmProcess::close);
        if (receiver != null) {
            receiver.close();
        }
        if (database != null) {
            EmbeddedPostgresServer.shared().dropDatabase(database);
        }
    }

    @Test
    void aRestCallThroughTheClientToAGrainThatCallsAGrainOnAnotherSiloIsOneTrace() throws Exception {
        receiver = new OtlpTraceReceiver();
        database = EmbeddedPostgresServer.shared().newDatabase("tracing");
        int[] ports = FreePorts.allocate(7);
        String cluster = "--orleans.cluster.cluster-id=tracing-" + ports[0];
        List<String> tracing = List.of(
                "--management.tracing.sampling.probability=1.0",
                "--management.opentelemetry.tracing.export.otlp.endpoint=" + receiver.endpoint(),
                "--logging.pattern.correlation=[%X{traceId:-} %X{spanId:-} %X{grainId:-}] ");
        String[] roles = {"front", "back"};
        List<String> gateways = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=" + ports[i],
                    "--orleans.endpoints.silo-port=" + ports[2 + i],
                    "--orleans.endpoints.gateway-port=" + ports[4 + i],
                    "--orleans.endpoints.advertised-address=127.0.0.1",
                    "--orleans.endpoints.listen-address=127.0.0.1",
                    "--orleans.silo.name=silo-" + roles[i],
                    "--orleans.silo.role=" + roles[i],
                    cluster,
                    "--spring.datasource.url=" + database.jdbcUrl(),
                    "--spring.datasource.username=postgres",
                    "--spring.datasource.password="));
            args.addAll(tracing);
            gateways.add("127.0.0.1:" + ports[4 + i]);
            start("silo-" + roles[i], args);
        }
        for (JvmProcess process : processes) {
            process.awaitLogLine(STARTED, START);
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> activeSilos(ports[0]).size() == 2);
        List<String> siloAddresses = new ArrayList<>(activeSilos(ports[0]).keySet());

        List<String> clientArgs = new ArrayList<>(List.of(
                "--server.port=" + ports[6],
                "--orleans.client.enabled=true",
                "--orleans.client.gateways=" + String.join(",", gateways),
                cluster,
                "--spring.datasource.url=jdbc:h2:mem:tracing-client"));
        clientArgs.addAll(tracing);
        JvmProcess client = start("client", clientArgs);
        client.awaitLogLine(STARTED, START);

        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[6] + "/hops/front?then=back"))
                        .timeout(Duration.ofSeconds(40))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("front>back");

        // The exporters send in batches (every 5 s by default): wait for the back silo's write to arrive.
        String traceId = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> receiver.spans().stream()
                                .filter(s -> "write".equals(s.attribute("operation")))
                                .filter(s -> s.attribute("grain.id") != null
                                        && s.attribute("grain.id").contains("back"))
                                .map(Span::traceId)
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        // Each JVM exports on its own schedule: wait for all 11 spans (the HTTP request; per grain: the call,
        // the activation and its state read, the grain's side and its state write).
        await().atMost(Duration.ofSeconds(30)).until(() -> trace(traceId).size() >= 11);
        List<Span> trace = trace(traceId);
        trace.forEach(s -> System.out.println("SPAN " + s.name() + " kind=" + s.kind() + " id=" + s.spanId()
                + " parent=" + s.parentSpanId() + " " + new TreeMap<>(s.attributes())));

        Span root = only(trace, s -> s.parentSpanId().isEmpty());
        assertThat(root.kind()).isEqualTo(Span.KIND_SERVER);
        assertThat(root.name()).contains("/hops/");
        assertThat(root.resource()).containsEntry("service.name", "dictionary");

        Span toFront = only(
                trace,
                s -> s.kind() == Span.KIND_CLIENT
                        && s.parentSpanId().equals(root.spanId())
                        && "hop/hop".equals(s.name()));
        assertThat(toFront.attribute("grain.id")).contains("front");
        assertThat(toFront.attribute("method")).isEqualTo("hop");
        assertThat(toFront.attribute("outcome")).isEqualTo("success");
        assertThat(siloAddresses).doesNotContain(toFront.attribute("orleans.silo"));

        Span atFront = only(
                trace, s -> s.kind() == Span.KIND_SERVER && s.parentSpanId().equals(toFront.spanId()));
        assertThat(atFront.name()).isEqualTo("hop/hop");
        String frontSilo = atFront.attribute("orleans.silo");
        assertThat(siloAddresses).contains(frontSilo);
        assertThat(atFront.attribute("grain.id")).contains("front");

        Span toBack = only(
                trace, s -> s.kind() == Span.KIND_CLIENT && s.parentSpanId().equals(atFront.spanId()));
        assertThat(toBack.attribute("grain.id")).contains("back");
        assertThat(toBack.attribute("orleans.silo")).isEqualTo(frontSilo);

        Span atBack = only(
                trace, s -> s.kind() == Span.KIND_SERVER && s.parentSpanId().equals(toBack.spanId()));
        String backSilo = atBack.attribute("orleans.silo");
        assertThat(siloAddresses).contains(backSilo);
        assertThat(backSilo).isNotEqualTo(frontSilo);

        Span write =
                only(trace, s -> s.parentSpanId().equals(atBack.spanId()) && "write".equals(s.attribute("operation")));
        assertThat(write.attribute("state")).isEqualTo("hops");
        // Each grain was activated by its call, reading its state as it did.
        for (Span call : List.of(toFront, toBack)) {
            Span activation = only(
                    trace,
                    s -> s.parentSpanId().equals(call.spanId()) && s.name().startsWith("activate "));
            only(trace, s -> s.parentSpanId().equals(activation.spanId()) && "read".equals(s.attribute("operation")));
        }

        // What the back grain logged names the trace and the grain.
        String backLog = Files.readString(logs.resolve("silo-back.log"));
        assertThat(backLog.lines().filter(line -> line.contains("Hop at back")))
                .singleElement()
                .satisfies(line -> assertThat(line).contains(traceId).contains(atBack.attribute("grain.id")));
        System.out.println("MEASURED: one trace of " + trace.size() + " spans across client, silo " + frontSilo
                + " and silo " + backSilo);
    }

    private JvmProcess start(String name, List<String> args) {
        JvmProcess process = JvmProcess.builder(TracingApplication.class.getName())
                .name(name)
                .jvmOptions("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
                .args(args.toArray(String[]::new))
                .logFile(logs.resolve(name + ".log"))
                .build();
        processes.add(process);
        process.start();
        return process;
    }

    /** Address → status of the Active silos, as the silo on {@code port} lists them. */
    private Map<String, String> activeSilos(int port) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/orleans/membership"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, String> active = new TreeMap<>();
        for (JsonNode member : json.readTree(response.body()).path("silos")) {
            if ("ACTIVE".equals(member.path("status").asString())) {
                active.put(member.path("address").asString(), "ACTIVE");
            }
        }
        return active;
    }

    private List<Span> trace(String traceId) {
        return receiver.spans().stream()
                .filter(s -> s.traceId().equals(traceId))
                .toList();
    }

    private static Span only(List<Span> spans, java.util.function.Predicate<Span> which) {
        List<Span> found = spans.stream().filter(which).toList();
        assertThat(found).as("matching spans among %s", spans).hasSize(1);
        return found.get(0);
    }
}
