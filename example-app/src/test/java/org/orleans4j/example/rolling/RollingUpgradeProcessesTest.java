package org.orleans4j.example.rolling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.spring.membership.JdbcMembershipTable;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.JavaSources;
import org.orleans4j.testing.JvmProcess;
import org.orleans4j.testing.db.EmbeddedPostgresServer;
import org.orleans4j.testing.db.PostgresDatabase;

/**
 * A rolling upgrade as the Helm chart runs it ({@code maxSurge: 1}, {@code maxUnavailable: 0}): three
 * silo JVMs of build v1 under load, from REST and from a cluster client, are replaced one at a time by
 * silos of build v2. A v2 silo starts and joins; then the load balancer stops sending to one v1 silo,
 * which gets SIGTERM and shuts down gracefully. Build v2 is v1's classes compiled again with changes:
 * the argument record {@link LineItem} and the state class {@link OrderState} have a field more,
 * {@link OrderGrain} is {@code @Version(2)} with a method more, and a grain type {@code GiftGrain} exists
 * only in v2. Default cluster settings throughout.
 */
class RollingUpgradeProcessesTest {

    private static final String PKG = "org.orleans4j.example.rolling";
    private static final int ORDERS = 60;
    private static final int REST_WORKERS = 4;
    private static final int CLIENT_WORKERS = 2;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /** v2: the changed classes and the new ones, over v1's test classes. */
    private static final Map<String, String> V2 = Map.of(
            PKG + ".LineItem",
            """
            package org.orleans4j.example.rolling;
            public record LineItem(String sku, int quantity, String note) {
                public LineItem(String sku, int quantity) {
                    this(sku, quantity, null);
                }
            }
            """,
            PKG + ".OrderState",
            """
            package org.orleans4j.example.rolling;
            public class OrderState {
                public long lines;
                public long quantity;
                public String lastNote;
            }
            """,
            PKG + ".OrderGrain",
            """
            package org.orleans4j.example.rolling;
            import java.util.concurrent.CompletableFuture;
            @org.orleans4j.grain.Version(2)
            public interface OrderGrain extends org.orleans4j.grain.GrainWithStringKey {
                CompletableFuture<Long> add(LineItem item);
                CompletableFuture<Long> lines();
                CompletableFuture<String> lastNote();
            }
            """,
            PKG + ".OrderGrainImpl",
            """
            package org.orleans4j.example.rolling;
            import java.util.concurrent.CompletableFuture;
            import org.orleans4j.grain.GrainBase;
            import org.orleans4j.grain.PersistentState;
            @org.orleans4j.spring.grain.GrainComponent
            public class OrderGrainImpl extends GrainBase implements OrderGrain {
                private final PersistentState<OrderState> order =
                        persistentState("order", OrderState.class, OrderState::new);
                public CompletableFuture<Long> add(LineItem item) {
                    OrderState state = order.state();
                    state.lines++;
                    state.quantity += item.quantity();
                    if (item.note() != null) {
                        state.lastNote = item.note();
                    }
                    return order.writeState().thenApply(written -> state.lines);
                }
                public CompletableFuture<Long> lines() {
                    return CompletableFuture.completedFuture(order.state().lines);
                }
                public CompletableFuture<String> lastNote() {
                    return CompletableFuture.completedFuture(String.valueOf(order.state().lastNote));
                }
            }
            """,
            PKG + ".GiftGrain",
            """
            package org.orleans4j.example.rolling;
            public interface GiftGrain extends org.orleans4j.grain.GrainWithStringKey {
                java.util.concurrent.CompletableFuture<String> wrap(LineItem item);
            }
            """,
            PKG + ".GiftGrainImpl",
            """
            package org.orleans4j.example.rolling;
            import java.util.concurrent.CompletableFuture;
            @org.orleans4j.spring.grain.GrainComponent
            public class GiftGrainImpl extends org.orleans4j.grain.GrainBase implements GiftGrain {
                private final org.orleans4j.runtime.Silo silo;
                public GiftGrainImpl(org.orleans4j.runtime.Silo silo) { this.silo = silo; }
                public CompletableFuture<String> wrap(LineItem item) {
                    return CompletableFuture.completedFuture(silo.address().toString());
                }
            }
            """,
            PKG + ".V2Controller",
            """
            package org.orleans4j.example.rolling;
            import java.util.concurrent.CompletableFuture;
            import org.orleans4j.grain.GrainFactory;
            import org.springframework.web.bind.annotation.*;
            @RestController
            public class V2Controller {
                private final GrainFactory grains;
                public V2Controller(GrainFactory grains) { this.grains = grains; }
                @PostMapping("/v2/orders/{key}")
                public CompletableFuture<Long> add(@PathVariable String key, @RequestParam String sku,
                        @RequestParam int quantity, @RequestParam String note) {
                    return grains.getGrain(OrderGrain.class, key).add(new LineItem(sku, quantity, note));
                }
                @GetMapping("/v2/orders/{key}/note")
                public CompletableFuture<String> note(@PathVariable String key) {
                    return grains.getGrain(OrderGrain.class, key).lastNote();
                }
                @PostMapping("/v2/gifts/{key}")
                public CompletableFuture<String> gift(@PathVariable String key) {
                    return grains.getGrain(GiftGrain.class, key).wrap(new LineItem("gift", 1, "ribbon"));
                }
            }
            """);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<JvmProcess> processes = new ArrayList<>();
    private PostgresDatabase database;
    private ClusterClient client;
    private JdbcMembershipTable membershipTable;

    /** Kept when the test fails, for the silos' logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        processes.forEach(JvmProcess::close);
        if (membershipTable != null) {
            membershipTable.destroy();
        }
        if (database != null) {
            EmbeddedPostgresServer.shared().dropDatabase(database);
        }
    }

    /** The silos: index 0-2 are v1, 3-5 the v2 silos that replace them. */
    private final class Silos {
        final int[] ports = FreePorts.allocate(18);
        final String clusterId = "rolling-" + ThreadLocalRandom.current().nextInt(1_000_000);
        final JvmProcess[] running = new JvmProcess[6];

        String base(int i) {
            return "http://127.0.0.1:" + ports[i];
        }

        JvmProcess start(int i, String classpath, String version) {
            JvmProcess silo = JvmProcess.builder(RollingApplication.class.getName())
                    .name("silo-" + i + "-" + version)
                    .classpath(classpath)
                    .jvmOptions("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
                    .args(
                            "--server.port=" + ports[i],
                            "--orleans.endpoints.silo-port=" + ports[6 + i],
                            "--orleans.endpoints.gateway-port=" + ports[12 + i],
                            "--orleans.endpoints.advertised-address=127.0.0.1",
                            "--orleans.endpoints.listen-address=127.0.0.1",
                            "--orleans.silo.name=silo-" + i,
                            "--orleans.silo.app-version=" + version,
                            "--orleans.cluster.service-id=orders",
                            "--orleans.cluster.cluster-id=" + clusterId,
                            "--orleans.clustering.enabled=true",
                            "--spring.datasource.url=" + database.jdbcUrl(),
                            "--spring.datasource.username=" + database.user(),
                            "--spring.datasource.password=" + database.password(),
                            "--spring.lifecycle.timeout-per-shutdown-phase=" + SHUTDOWN_TIMEOUT.toSeconds() + "s",
                            "--server.error.include-message=always")
                    .logFile(logs.resolve("silo-" + i + ".log"))
                    .build();
            processes.add(silo);
            running[i] = silo;
            silo.start();
            return silo;
        }

        void awaitStarted(int i) {
            running[i].awaitLogLine(Pattern.compile("Started RollingApplication"), START_TIMEOUT);
        }
    }

    /** The calls of the load, and what they saw. */
    private final class Load {
        final AtomicLongArray acknowledged = new AtomicLongArray(ORDERS);
        final AtomicLong restCalls = new AtomicLong();
        final AtomicLong clientCalls = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final LongAccumulator longestNanos = new LongAccumulator(Math::max, 0);
        final List<String> failures = new CopyOnWriteArrayList<>();
        /** The silos the load balancer sends to: those started and not yet told to stop. */
        final List<String> ready = new CopyOnWriteArrayList<>();

        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();

        void start() {
            for (int w = 0; w < REST_WORKERS; w++) {
                threads.add(Thread.ofPlatform().name("rest-" + w).start(this::restLoop));
            }
            for (int w = 0; w < CLIENT_WORKERS; w++) {
                threads.add(Thread.ofPlatform().name("client-" + w).start(this::clientLoop));
            }
        }

        void restLoop() {
            while (running.get()) {
                int order = ThreadLocalRandom.current().nextInt(ORDERS);
                List<String> targets = List.copyOf(ready);
                String base = targets.get(ThreadLocalRandom.current().nextInt(targets.size()));
                long start = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(
                            HttpRequest.newBuilder(URI.create(base + "/orders/o" + order + "?sku=s&quantity=1"))
                                    .timeout(Duration.ofSeconds(40))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    record(order, start, response.statusCode() == 200, base + ": " + response.body());
                } catch (Exception e) {
                    record(order, start, false, base + ": " + e);
                }
                restCalls.incrementAndGet();
            }
        }

        void clientLoop() {
            while (running.get()) {
                int order = ThreadLocalRandom.current().nextInt(ORDERS);
                long start = System.nanoTime();
                try {
                    client.grainFactory()
                            .getGrain(OrderGrain.class, "o" + order)
                            .add(new LineItem("c", 1))
                            .get(40, TimeUnit.SECONDS);
                    record(order, start, true, null);
                } catch (Exception e) {
                    record(order, start, false, "client: " + e);
                }
                clientCalls.incrementAndGet();
            }
        }

        void record(int order, long startNanos, boolean ok, String failure) {
            longestNanos.accumulate(System.nanoTime() - startNanos);
            if (ok) {
                acknowledged.incrementAndGet(order);
            } else {
                failed.incrementAndGet();
                if (failures.size() < 20) {
                    failures.add(failure);
                }
            }
        }

        long calls() {
            return restCalls.get() + clientCalls.get();
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
        }
    }

    private String get(String url) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(40))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private HttpResponse<String> post(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(40))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void replacingEverySiloByANewBuildUnderLoadFailsNoCallAndLosesNoWrite() throws Exception {
        database = EmbeddedPostgresServer.shared().newDatabase("rolling");
        String v1 = System.getProperty("java.class.path");
        Path v2Classes = JavaSources.compile(logs.resolve("v2-classes"), V2);
        String v2 = v2Classes + File.pathSeparator + v1;
        Silos silos = new Silos();
        for (int i = 0; i < 3; i++) {
            silos.start(i, v1, "1.0.0");
        }
        for (int i = 0; i < 3; i++) {
            silos.awaitStarted(i);
        }
        client = ClusterClient.builder()
                .clusterOptions(new ClusterOptions("orders", silos.clusterId))
                .membershipTable(
                        membershipTable = new JdbcMembershipTable(database.dataSource(), "orders", silos.clusterId))
                .addGrainInterfaces(OrderGrain.class)
                .build();
        client.connect();

        Load load = new Load();
        for (int i = 0; i < 3; i++) {
            load.ready.add(silos.base(i));
        }
        load.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> load.calls() >= 300);

        Set<String> giftSilos = ConcurrentHashMap.newKeySet();
        List<String> v2Addresses = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            int v2Silo = 3 + step;
            silos.start(v2Silo, v2, "2.0.0");
            silos.awaitStarted(v2Silo);
            String address = get(silos.base(v2Silo) + "/silo").split(" ")[0];
            v2Addresses.add(address);
            load.ready.add(silos.base(v2Silo));

            // The new grain type works as soon as a v2 silo is Active, and only v2 silos host it.
            for (int gift = 0; gift < 10; gift++) {
                HttpResponse<String> wrapped = post(silos.base(v2Silo) + "/v2/gifts/g" + step + "-" + gift);
                assertThat(wrapped.statusCode()).as(wrapped.body()).isEqualTo(200);
                giftSilos.add(wrapped.body());
            }
            // A v2 caller uses version 2 of OrderGrain: an order active on a v1 silo moves to a v2 one.
            int noted = step * 10;
            HttpResponse<String> withNote =
                    post(silos.base(v2Silo) + "/v2/orders/o" + noted + "?sku=n&quantity=2&note=step" + step);
            assertThat(withNote.statusCode()).as(withNote.body()).isEqualTo(200);
            load.acknowledged.incrementAndGet(noted);
            assertThat(get(silos.base(v2Silo) + "/v2/orders/o" + noted + "/note"))
                    .isEqualTo("step" + step);

            long before = load.calls();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.calls() >= before + 200);

            // As Kubernetes does: out of the Service's endpoints first, then SIGTERM, then gone.
            load.ready.remove(silos.base(step));
            assertThat(silos.running[step].terminate(SHUTDOWN_TIMEOUT.plusSeconds(30)))
                    .as("v1 silo-%d stopped on SIGTERM", step)
                    .isTrue();
            long after = load.calls();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.calls() >= after + 200);
        }
        load.stop();

        int lost = 0;
        for (int order = 0; order < ORDERS; order++) {
            if (Long.parseLong(get(silos.base(5) + "/orders/o" + order)) < load.acknowledged.get(order)) {
                lost++;
            }
        }
        System.out.printf(
                "MEASURED: rolling upgrade of 3 silos from v1 to v2 under load: %d calls (%d REST, %d cluster client),"
                        + " %d failed, longest call %d ms; gifts on %d v2 silos only; %d of %d orders lost an"
                        + " acknowledged write%n",
                load.calls(),
                load.restCalls.get(),
                load.clientCalls.get(),
                load.failed.get(),
                TimeUnit.NANOSECONDS.toMillis(load.longestNanos.get()),
                giftSilos.size(),
                lost,
                ORDERS);
        assertThat(load.failed.get()).as("failed calls: %s", load.failures).isZero();
        assertThat(giftSilos).as("gifts ran on v2 silos only").isSubsetOf(v2Addresses);
        for (int order = 0; order < ORDERS; order++) {
            assertThat(Long.parseLong(get(silos.base(5) + "/orders/o" + order)))
                    .as("stored lines of order o%d", order)
                    .isEqualTo(load.acknowledged.get(order));
        }
    }
}
