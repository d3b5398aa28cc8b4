package org.orleans4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainObserver;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.ObserverManager;
import org.orleans4j.grain.ObserverUnavailableException;
import org.orleans4j.grain.OneWay;
import org.orleans4j.messaging.Rejection;
import org.orleans4j.placement.SiloRoleBasedPlacement;
import org.orleans4j.testing.JvmProcess;
import org.orleans4j.testing.TestCluster;

/**
 * A cluster client's observer, subscribed to a grain on the silo behind the other gateway: the grain's
 * calls go to the silo whose gateway the client uses, which hands them to the client.
 */
class ObserversTest {

    static final Duration EXPIRATION = Duration.ofSeconds(1);

    interface TickObserver extends GrainObserver {
        @OneWay
        void onTick(int sequence);

        CompletableFuture<String> echo(String text);
    }

    /** Placed on the silo whose role (its name) is the key. */
    interface Ticker extends GrainWithStringKey {
        CompletableFuture<Void> subscribe(TickObserver observer);

        /** Sends ticks 0..count-1 to every subscriber. */
        CompletableFuture<Void> publish(int count);

        /** Each subscriber's echo of {@code text}; a failed call is reported by its exception's class name. */
        CompletableFuture<List<String>> echoAll(String text);

        CompletableFuture<Integer> subscribers();
    }

    @SiloRoleBasedPlacement
    public static class TickerImpl extends GrainBase implements Ticker {
        private final ObserverManager<TickObserver> observers = new ObserverManager<>(EXPIRATION);

        @Override
        public CompletableFuture<Void> subscribe(TickObserver observer) {
            observers.subscribe(observer);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> publish(int count) {
            for (int i = 0; i < count; i++) {
                int sequence = i;
                observers.notify(observer -> {
                    observer.onTick(sequence);
                    return null;
                });
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<List<String>> echoAll(String text) {
            List<String> answers = new CopyOnWriteArrayList<>();
            return observers
                    // whenComplete, not handle: the manager must see the failure to drop a gone observer.
                    .notify(observer -> observer.echo(text)
                            .whenComplete((answer, failure) -> answers.add(
                                    failure == null
                                            ? answer
                                            : rootOf(failure).getClass().getSimpleName())))
                    .thenApply(done -> List.copyOf(answers));
        }

        @Override
        public CompletableFuture<Integer> subscribers() {
            return CompletableFuture.completedFuture(observers.size());
        }

        private static Throwable rootOf(Throwable failure) {
            return failure.getCause() != null ? failure.getCause() : failure;
        }
    }

    /** A grain that is an observer too: its references can subscribe. */
    interface Listener extends GrainWithStringKey, TickObserver {
        CompletableFuture<List<Integer>> received();
    }

    @SiloRoleBasedPlacement
    public static class ListenerImpl extends GrainBase implements Listener {
        private final List<Integer> received = new ArrayList<>();

        @Override
        public void onTick(int sequence) {
            received.add(sequence);
        }

        @Override
        public CompletableFuture<String> echo(String text) {
            return CompletableFuture.completedFuture("grain echo: " + text);
        }

        @Override
        public CompletableFuture<List<Integer>> received() {
            return CompletableFuture.completedFuture(List.copyOf(received));
        }
    }

    /** The client's observer object. */
    static final class Recorder implements TickObserver {
        final List<Integer> ticks = new CopyOnWriteArrayList<>();

        @Override
        public void onTick(int sequence) {
            ticks.add(sequence);
        }

        @Override
        public CompletableFuture<String> echo(String text) {
            return CompletableFuture.completedFuture("echo: " + text);
        }
    }

    private TestCluster cluster;
    private ClusterClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startCluster(int silos) {
        cluster = TestCluster.builder()
                .silos(silos)
                .gateways()
                .configure(b -> b.addGrainClass(TickerImpl.class))
                .start();
        cluster.awaitActiveSilos(silos, Duration.ofSeconds(30));
    }

    @Test
    void aClientObserverGetsEveryCallbackInOrderAndIsDroppedOnceItsClientIsGone() {
        startCluster(2);
        // Only the first silo's gateway: calls to grains on the second pass through it.
        client = cluster.connectClient(0);
        Recorder recorder = new Recorder();
        TickObserver reference = client.createObserverReference(TickObserver.class, recorder);
        Ticker ticker = client.grainFactory().getGrain(Ticker.class, "silo-1");

        ticker.subscribe(reference).join();
        ticker.publish(1_000).join();

        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.ticks.size() == 1_000);
        assertThat(recorder.ticks)
                .as("callbacks in the order the grain made them")
                .containsExactlyElementsOf(IntStream.range(0, 1_000).boxed().toList());
        assertThat(ticker.echoAll("hi").join()).containsExactly("echo: hi");
        assertThat(cluster.silosHosting(GrainId.ofString("ticker", "silo-1"))).containsExactly(cluster.silo(1));

        // The client goes away without unsubscribing: a call to its observer fails at once, and is counted.
        client.close();
        client = null;
        long before = cluster.silo(0).messagingStatistics().rejected(Rejection.OBSERVER_GONE);
        long start = System.nanoTime();
        List<String> answers = cluster.grainFactory(1)
                .getGrain(Ticker.class, "silo-1")
                .echoAll("anyone?")
                .join();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(answers).containsExactly(ObserverUnavailableException.class.getSimpleName());
        assertThat(millis).as("failed fast, not after the response timeout").isLessThan(5_000);
        assertThat(cluster.silo(0).messagingStatistics().rejected(Rejection.OBSERVER_GONE))
                .isGreaterThan(before);
        assertThat(cluster.grainFactory(1)
                        .getGrain(Ticker.class, "silo-1")
                        .subscribers()
                        .join())
                .as("dropped when its call found the client gone")
                .isZero();
    }

    /** The client is a process of its own, killed with SIGKILL: no goodbye, only its renewals stop. */
    @Test
    void aKilledClientProcessGetsItsCallbacksInOrderAndIsDroppedWithinTheExpiration(@TempDir Path logs) {
        startCluster(2);
        JvmProcess clientProcess = JvmProcess.builder(ObserverClientMain.class.getName())
                .name("observer-client")
                .jvmOptions("-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
                .args(
                        cluster.silo(0).clusterOptions().serviceId(),
                        cluster.silo(0).clusterOptions().clusterId(),
                        TestCluster.gatewayEndpoint(cluster.silo(0)),
                        "silo-1")
                .logFile(logs.resolve("client.log"))
                .start();
        try {
            clientProcess.awaitLogLine(Pattern.compile("SUBSCRIBED"), Duration.ofSeconds(60));
            Ticker ticker = cluster.grainFactory(0).getGrain(Ticker.class, "silo-1");
            ticker.publish(1_000).join();
            clientProcess.awaitLogLine(Pattern.compile("TICK 999"), Duration.ofSeconds(30));
            assertThat(ticks(clientProcess.logFile()))
                    .as("callbacks in the order the grain made them")
                    .containsExactlyElementsOf(IntStream.range(0, 1_000).boxed().toList());
            assertThat(ticker.subscribers().join()).isEqualTo(1);

            clientProcess.kill();
            long killed = System.nanoTime();
            await().atMost(EXPIRATION.multipliedBy(3))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> ticker.subscribers().join() == 0);
            System.out.printf(
                    "MEASURED: killed client's observer dropped %d ms after the kill (expiration %d ms)%n",
                    (System.nanoTime() - killed) / 1_000_000, EXPIRATION.toMillis());
        } finally {
            clientProcess.close();
        }
    }

    private static List<Integer> ticks(Path log) {
        try {
            return Files.readAllLines(log).stream()
                    .filter(line -> line.startsWith("TICK "))
                    .map(line -> Integer.parseInt(line.substring(5).trim()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aGrainWhoseInterfaceIsAnObserverSubscribesOnAnotherSilo() {
        cluster = TestCluster.builder()
                .silos(2)
                .configure(b -> b.addGrainClass(TickerImpl.class).addGrainClass(ListenerImpl.class))
                .start();
        cluster.awaitActiveSilos(2, Duration.ofSeconds(30));
        Listener listener = cluster.grainFactory(1).getGrain(Listener.class, "silo-0");
        Ticker ticker = cluster.grainFactory(1).getGrain(Ticker.class, "silo-1");

        ticker.subscribe(listener).join();
        ticker.publish(10).join();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> listener.received().join().size() == 10);
        assertThat(listener.received().join())
                .containsExactlyElementsOf(IntStream.range(0, 10).boxed().toList());
        assertThat(ticker.echoAll("hi").join()).containsExactly("grain echo: hi");
    }

    @Test
    void aSubscriberThatDoesNotRenewExpires() {
        startCluster(1);
        client = cluster.connectClient(0);
        Ticker ticker = client.grainFactory().getGrain(Ticker.class, "silo-0");
        ticker.subscribe(client.createObserverReference(TickObserver.class, new Recorder()))
                .join();
        assertThat(ticker.subscribers().join()).isEqualTo(1);

        await().atMost(EXPIRATION.multipliedBy(5))
                .until(() -> ticker.subscribers().join() == 0);
    }

    @Test
    void aDeletedObserverIsNotCalledAndAClientNeedsAConnectionToMakeOne() {
        startCluster(1);
        client = ClusterClient.builder()
                .clusterOptions(cluster.silo(0).clusterOptions())
                .staticGateways(List.of(TestCluster.gatewayEndpoint(cluster.silo(0))))
                .build();
        assertThatThrownBy(() -> client.createObserverReference(TickObserver.class, new Recorder()))
                .isInstanceOf(ClusterClientException.class)
                .hasMessageContaining("connect()");
        client.connect();
        Recorder recorder = new Recorder();
        TickObserver reference = client.createObserverReference(TickObserver.class, recorder);
        Ticker ticker = client.grainFactory().getGrain(Ticker.class, "silo-0");
        ticker.subscribe(reference).join();

        assertThat(client.deleteObserverReference(reference)).isTrue();
        assertThat(ticker.echoAll("deleted").join()).containsExactly("ObserverUnavailableException");
        assertThat(new ArrayList<>(recorder.ticks)).isEmpty();
    }
}
