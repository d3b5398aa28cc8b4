package org.orleans4j.example.chaos;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.regex.Pattern;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.JvmProcess;
import org.orleans4j.testing.db.EmbeddedPostgresServer;
import org.orleans4j.testing.db.PostgresDatabase;

/**
 * Silo JVMs of the {@link ChaosApplication} on one embedded PostgreSQL (membership, grain state and the
 * {@link ActivationLedger}), with the example's default cluster settings. Each silo keeps its ports for
 * the whole run, so a silo killed or stopped is restarted on the same ports, as a new incarnation (its
 * {@linkplain #instance(int) instance name} counts them). Tells which silos are up, as a load balancer's
 * health check would: a silo is down from just before it is killed or stopped until its restart has
 * started. Closing it kills every silo still running and drops its database (the JVM's embedded PostgreSQL, shared).
 */
final class ChaosCluster implements AutoCloseable {

    /** A silo starts in about 20 s on two idle cores; much longer when the machine is busy with other builds. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    /** Bounds a graceful stop; the example's silo leaves the cluster well within it. */
    static final Duration STOP_GRACE = Duration.ofSeconds(60);

    private static final Pattern STARTED = Pattern.compile("Started ChaosApplication");

    private final Path logs;
    private final int count;
    /** Web, silo and gateway port of silo i: ports[i], ports[count + i], ports[2 * count + i]. */
    private final int[] ports;

    private final String clusterId = "chaos-" + UUID.randomUUID();
    private final JvmProcess[] silos;
    private final int[] incarnations;
    private final AtomicIntegerArray up;
    /** When each ended incarnation's process was seen gone, in ledger microseconds. */
    private final Map<String, Long> ended = new ConcurrentHashMap<>();
    /** How and when each ended incarnation was ended ({@code "kill -9 at <micros>"}), for the report. */
    private final Map<String, String> endings = new ConcurrentHashMap<>();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private PostgresDatabase database;
    private String jdbcUrl;

    private ChaosCluster(int count, Path logs) {
        this.count = count;
        this.logs = logs;
        this.ports = FreePorts.allocate(3 * count);
        this.silos = new JvmProcess[count];
        this.incarnations = new int[count];
        this.up = new AtomicIntegerArray(count);
    }

    /** Makes a database on the JVM's embedded PostgreSQL with the ledger table, then {@code count} silos, and waits until all have started. */
    static ChaosCluster start(int count, Path logs) throws Exception {
        ChaosCluster cluster = new ChaosCluster(count, logs);
        try {
            cluster.database = EmbeddedPostgresServer.shared().newDatabase("chaos");
            cluster.jdbcUrl = cluster.database.jdbcUrl();
            new ActivationLedger(cluster.jdbcUrl).createTable();
            for (int i = 0; i < count; i++) {
                cluster.launch(i);
            }
            for (int i = 0; i < count; i++) {
                cluster.awaitStarted(i);
            }
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private synchronized void launch(int i) {
        List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        if (Runtime.version().feature() >= 24) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        String instance = instance(i);
        silos[i] = JvmProcess.builder(ChaosApplication.class.getName())
                .name(instance)
                .jvmOptions(options.toArray(String[]::new))
                .args(
                        "--server.port=" + ports[i],
                        "--orleans.endpoints.silo-port=" + ports[count + i],
                        "--orleans.endpoints.gateway-port=" + ports[2 * count + i],
                        "--orleans.endpoints.advertised-address=127.0.0.1",
                        "--orleans.endpoints.listen-address=127.0.0.1",
                        "--orleans.silo.name=silo-" + i,
                        "--orleans.cluster.cluster-id=" + clusterId,
                        "--spring.datasource.url=" + jdbcUrl,
                        "--spring.datasource.username=postgres",
                        "--spring.datasource.password=",
                        "--chaos.silo-instance=" + instance)
                .logFile(logs.resolve(instance + ".log"))
                .start();
    }

    /** Waits until silo {@code i}'s current incarnation has started, then counts it up. */
    void awaitStarted(int i) {
        JvmProcess silo;
        synchronized (this) {
            silo = silos[i];
        }
        silo.awaitLogLine(STARTED, START_TIMEOUT);
        up.set(i, 1);
    }

    /** {@code kill -9} of silo {@code i}; returns once the process is gone. */
    void kill(int i) {
        up.set(i, 0);
        JvmProcess silo = current(i);
        endings.put(silo.name(), "kill -9 at " + ActivationLedger.nowMicros());
        silo.kill();
        ended.put(silo.name(), ActivationLedger.nowMicros());
    }

    /**
     * {@code SIGTERM} of silo {@code i}, which stops it gracefully; returns once the process is gone.
     *
     * @return whether it exited within {@link #STOP_GRACE} (else it was killed)
     */
    boolean terminate(int i) {
        up.set(i, 0);
        JvmProcess silo = current(i);
        endings.put(silo.name(), "SIGTERM at " + ActivationLedger.nowMicros());
        boolean graceful = silo.terminate(STOP_GRACE);
        ended.put(silo.name(), ActivationLedger.nowMicros());
        return graceful;
    }

    /** Starts a new incarnation of the stopped silo {@code i} on its ports, without waiting for it. */
    synchronized void restart(int i) {
        if (silos[i].isAlive()) {
            throw new IllegalStateException(silos[i] + " is still running");
        }
        incarnations[i]++;
        launch(i);
    }

    /** Waits until every silo sees all of them Active: the membership has settled. */
    void awaitAllActive(Duration timeout) {
        String all = String.valueOf(count);
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    for (int i = 0; i < count; i++) {
                        HttpResponse<String> active = http.send(
                                HttpRequest.newBuilder(URI.create(base(i) + "/chaos/active"))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (!all.equals(active.body())) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    int size() {
        return count;
    }

    boolean isUp(int i) {
        return up.get(i) == 1;
    }

    /** The name of silo {@code i}'s current incarnation, as its activations record it: {@code silo-<i>.<n>}. */
    synchronized String instance(int i) {
        return "silo-" + i + "." + incarnations[i];
    }

    /** When the incarnation named {@code instance} ended, or now if it still runs (ledger microseconds). */
    long endOf(String instance) {
        Long end = ended.get(instance);
        return end != null ? end : ActivationLedger.nowMicros();
    }

    /**
     * How the incarnation named {@code instance} ended, for the report: {@code "kill -9 at <micros>, gone at
     * <micros>"}, {@code "SIGTERM at ..."}, or {@code "still running"}.
     */
    String endingOf(String instance) {
        String ending = endings.get(instance);
        Long end = ended.get(instance);
        return ending == null ? "still running" : ending + ", gone at " + (end == null ? "?" : end);
    }

    /** The base URL of silo {@code i}'s web server. */
    String base(int i) {
        return "http://127.0.0.1:" + ports[i];
    }

    /** Every silo's gateway, {@code host:port}, for cluster clients. */
    List<String> gateways() {
        List<String> gateways = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            gateways.add("127.0.0.1:" + ports[2 * count + i]);
        }
        return gateways;
    }

    String clusterId() {
        return clusterId;
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    private synchronized JvmProcess current(int i) {
        return silos[i];
    }

    @Override
    public void close() {
        for (int i = 0; i < count; i++) {
            JvmProcess silo = current(i);
            if (silo != null) {
                silo.close();
            }
        }
        if (database != null) {
            EmbeddedPostgresServer.shared().dropDatabase(database);
        }
    }
}
