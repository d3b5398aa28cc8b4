package org.orleans4j.example.probe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.JvmProcess;
import org.orleans4j.testing.db.EmbeddedPostgresServer;
import org.orleans4j.testing.db.PostgresDatabase;

/**
 * Silo JVMs of the {@link ProbeApplication} sharing one embedded PostgreSQL (membership table, grain
 * state), on free loopback ports, with small HTTP helpers to call them. Closing it kills every silo
 * still running and drops its database (the JVM's embedded PostgreSQL server, shared, stops with the JVM).
 */
final class ProbeCluster implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(40);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<JvmProcess> silos = new ArrayList<>();
    private final List<String> bases = new ArrayList<>();
    private final List<String> gateways = new ArrayList<>();
    /** Each silo's command line and log file, to start it again on the same ports. */
    private final List<String[]> siloArgs = new ArrayList<>();

    private final List<Path> logFiles = new ArrayList<>();
    private PostgresDatabase database;
    private String jdbcUrl;
    private String clusterId;

    private ProbeCluster() {}

    /**
     * Makes a database on the JVM's embedded PostgreSQL and starts {@code count} silos named {@code silo-0..}, each with {@code extraArgs}
     * appended to its command line, and waits until each has started.
     */
    static ProbeCluster start(int count, Path logs, String... extraArgs) throws Exception {
        ProbeCluster cluster = new ProbeCluster();
        try {
            cluster.startAll(count, logs, extraArgs);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void startAll(int count, Path logs, String... extraArgs) throws Exception {
        database = EmbeddedPostgresServer.shared().newDatabase("probe");
        String url = database.jdbcUrl();
        jdbcUrl = url;
        clusterId = "procs-" + UUID.randomUUID();
        int[] ports = FreePorts.allocate(3 * count);
        for (int i = 0; i < count; i++) {
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=" + ports[i],
                    "--orleans.endpoints.silo-port=" + ports[count + i],
                    "--orleans.endpoints.gateway-port=" + ports[2 * count + i],
                    "--orleans.endpoints.advertised-address=127.0.0.1",
                    "--orleans.endpoints.listen-address=127.0.0.1",
                    "--orleans.silo.name=silo-" + i,
                    "--orleans.cluster.cluster-id=" + clusterId,
                    "--spring.datasource.url=" + url,
                    "--spring.datasource.username=postgres",
                    "--spring.datasource.password=",
                    // Test-tuned probing: a silent silo misses 3 probes of 1 s, then 2 votes declare it Dead.
                    "--orleans.clustering.probe-timeout=1s",
                    "--orleans.clustering.missed-probes-limit=3",
                    "--orleans.clustering.i-am-alive-period=2s",
                    "--orleans.clustering.table-refresh-period=2s"));
            args.addAll(List.of(extraArgs));
            siloArgs.add(args.toArray(String[]::new));
            logFiles.add(logs.resolve("silo-" + i + ".log"));
            JvmProcess silo = process(i);
            silos.add(silo);
            bases.add("http://127.0.0.1:" + ports[i]);
            gateways.add("127.0.0.1:" + ports[2 * count + i]);
            silo.start();
        }
        for (JvmProcess silo : silos) {
            silo.awaitLogLine(Pattern.compile("Started ProbeApplication"), START_TIMEOUT);
        }
    }

    private JvmProcess process(int i) {
        return JvmProcess.builder(ProbeApplication.class.getName())
                .name("silo-" + i)
                .jvmOptions("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
                .args(siloArgs.get(i))
                .logFile(logFiles.get(i))
                .build();
    }

    /**
     * Starts silo {@code i} again, after it was killed or terminated: same ports, same log file (appended),
     * a new generation. Does not wait for it.
     */
    void restart(int i) {
        if (silos.get(i).isAlive()) {
            throw new IllegalStateException("silo-" + i + " is still running");
        }
        JvmProcess fresh = process(i).start();
        silos.set(i, fresh);
    }

    /** Waits until silo {@code i} (as last started) has started its application. */
    void awaitStarted(int i) {
        silos.get(i).awaitLogLine(Pattern.compile("Started ProbeApplication"), START_TIMEOUT);
    }

    /**
     * Waits until every silo sees all of them Active: placement spreads new activations only over the
     * silos a silo sees Active. Single activation does not need it: it holds while silos still join.
     */
    void awaitAllActive() {
        String all = String.valueOf(silos.size());
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    for (int i = 0; i < silos.size(); i++) {
                        if (!all.equals(get(i, "/probe/active"))) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    int size() {
        return silos.size();
    }

    JvmProcess silo(int i) {
        return silos.get(i);
    }

    HttpClient http() {
        return http;
    }

    /** The base URL of silo {@code i}'s web server. */
    String base(int i) {
        return bases.get(i);
    }

    /** The {@code host:port} of silo {@code i}'s gateway, for cluster clients. */
    String gateway(int i) {
        return gateways.get(i);
    }

    /** The cluster id the silos share (the service id is the example app's, {@code dictionary}). */
    String clusterId() {
        return clusterId;
    }

    /** The JDBC URL of the PostgreSQL database holding the membership table and grain state. */
    String jdbcUrl() {
        return jdbcUrl;
    }

    /** GET; the body. */
    String get(int silo, String path) throws Exception {
        return send(silo, HttpRequest.newBuilder(URI.create(base(silo) + path)).GET())
                .body();
    }

    /** PUT of a definition; the status code. */
    int put(int silo, String word, String definition) throws Exception {
        return send(
                        silo,
                        HttpRequest.newBuilder(URI.create(base(silo) + "/entries/" + word))
                                .header("Content-Type", "text/plain")
                                .PUT(HttpRequest.BodyPublishers.ofString(definition)))
                .statusCode();
    }

    HttpResponse<String> send(int silo, HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The silo's address in the cluster ({@code host:port@generation}). */
    String address(int silo) throws Exception {
        return get(silo, "/probe/silo");
    }

    /** The status of {@code address} in silo {@code silo}'s view of the membership table, after a refresh. */
    String statusOf(int silo, String address) throws Exception {
        return get(silo, "/probe/status/" + address);
    }

    @Override
    public void close() {
        silos.forEach(JvmProcess::close);
        if (database != null) {
            EmbeddedPostgresServer.shared().dropDatabase(database);
        }
    }
}
