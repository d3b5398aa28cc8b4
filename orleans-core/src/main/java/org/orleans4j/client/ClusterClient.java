package org.orleans4j.client;

import io.micrometer.observation.ObservationRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.CallRetryOptions;
import org.orleans4j.calls.OutgoingGrainCallFilter;
import org.orleans4j.calls.internal.GrainReferences;
import org.orleans4j.calls.internal.ObserverAddress;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainIdentity;
import org.orleans4j.grain.GrainObserver;
import org.orleans4j.grain.ObserverUnavailableException;
import org.orleans4j.internal.DaemonThreads;
import org.orleans4j.internal.Futures;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.messaging.TransportSecurity;
import org.orleans4j.messaging.internal.SiloMessaging;
import org.orleans4j.metadata.GrainInterfaceMetadata;
import org.orleans4j.observation.GrainObservations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process that is not a silo, calling grains through the cluster's gateways with the same
 * {@link GrainFactory} API as inside a silo:
 *
 * <pre>{@code
 * try (ClusterClient client = ClusterClient.builder()
 *         .clusterOptions(new ClusterOptions("dictionary", "prod"))
 *         .staticGateways(List.of("orleans-gateway:30000"))
 *         .build()) {
 *     client.connect();
 *     client.grainFactory().getGrain(EntryGrain.class, "apple").getDefinition().join();
 * }
 * }</pre>
 *
 * It connects to every gateway in its list with the silos' handshake (service id and cluster id
 * checked by both ends), presenting itself as a client under a pseudo address that no silo connects
 * to, probes or lists. A call goes through one connected gateway, which routes it into the cluster
 * and sends the response back. A call that provably did not run (no gateway connected, refused before
 * its turn) is retried on another gateway within its response timeout, like a silo's calls
 * ({@link CallRetryOptions}); one whose gateway connection closes while it waits may have run, so it is
 * retried only if its method is idempotent, else fails with
 * {@link org.orleans4j.grain.CallOutcomeUnknownException}. Lost
 * gateways are reconnected with backoff; the list is refreshed periodically and when a connection
 * is lost. Thread-safe.
 */
public final class ClusterClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterClient.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private enum State {
        NEW,
        CONNECTED,
        CLOSED
    }

    private final ClusterOptions clusterOptions;
    private final GatewayList source;
    private final Duration refreshPeriod;
    private final MessagingOptions messagingOptions;
    private final CallRetryOptions retryOptions;
    private final SiloAddress address;
    private final String name;
    private final GrainManifest manifest = new GrainManifest();
    private final ClientCalls calls;
    private final GrainReferences grainFactory;
    private final ClientGrainCalls grainCalls;
    private State state = State.NEW;
    private @Nullable SiloMessaging messaging;
    private @Nullable ScheduledThreadPoolExecutor timer;
    /** Reads responses and completes the callers' futures, off the network threads. */
    private @Nullable ExecutorService responses;

    private volatile @Nullable GatewayManager gateways;
    private @Nullable TransportSecurity transportSecurity;

    ClusterClient(
            ClusterOptions clusterOptions,
            GatewayList source,
            Duration refreshPeriod,
            MessagingOptions messagingOptions,
            CallRetryOptions retryOptions,
            List<Class<?>> serializableTypes,
            List<Class<?>> grainInterfaces,
            List<OutgoingGrainCallFilter> outgoingFilters,
            ObservationRegistry observationRegistry,
            boolean observeGrainCalls) {
        this.clusterOptions = clusterOptions;
        this.source = source;
        this.refreshPeriod = refreshPeriod;
        this.messagingOptions = messagingOptions;
        this.retryOptions = retryOptions;
        // Port 0 and a random generation: unique per client, and never a silo's address.
        this.address =
                new SiloAddress(localHostName(), 0, ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
        this.name = "orleans-client-" + CLIENTS.incrementAndGet();
        ClientSerializer serializer = new ClientSerializer(serializableTypes, messagingOptions.maxFrameBytes());
        this.calls = new ClientCalls(
                address,
                serializer,
                retryOptions,
                messagingOptions.responseTimeout(),
                new GrainObservations(observationRegistry, address.toString(), observeGrainCalls));
        this.grainCalls = new ClientGrainCalls(calls, serializer, manifest);
        grainInterfaces.forEach(grainCalls::interfaceMetadata);
        this.grainFactory = new GrainReferences(grainCalls, outgoingFilters);
        serializer.bindGrainFactory(grainFactory);
        serializer.bindOrigin("client " + address);
    }

    /** TLS to the gateways (null: plain TCP); set by the builder before the first connect. */
    void transportSecurity(@Nullable TransportSecurity security) {
        this.transportSecurity = security;
    }

    public static ClusterClientBuilder builder() {
        return new ClusterClientBuilder();
    }

    /**
     * Connects to the gateways; returns once at least one is usable (the others keep connecting in
     * the background). Does nothing when already connected.
     *
     * @throws ClusterClientException when no gateway could be reached (the message lists every address
     *     tried and why it failed: a gateway of another service or cluster says so without disclosing its ids), or
     *     the client is closed. The client may be connected again later.
     */
    public synchronized void connect() {
        if (state == State.CLOSED) {
            throw new ClusterClientException("This cluster client is closed");
        }
        if (state == State.CONNECTED) {
            return;
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        messaging = SiloMessaging.forClient(clusterOptions, address, messagingOptions, threads, name + "-io");
        messaging.transportSecurity(transportSecurity);
        timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named(name + "-timer"));
        timer.setRemoveOnCancelPolicy(true);
        responses = Executors.newFixedThreadPool(
                Math.max(1, Runtime.getRuntime().availableProcessors()), DaemonThreads.named(name + "-responses"));
        calls.responseExecutor(responses);
        GatewayManager manager = new GatewayManager(
                messaging, source, calls, manifest, timer, retryOptions, messagingOptions.handshakeTimeout());
        messaging.onMessage(calls::onMessage);
        // Reading the table, then connect and handshake (each bounded by the handshake timeout), then the manifest.
        Duration bound = messagingOptions
                .responseTimeout()
                .plus(messagingOptions.handshakeTimeout().multipliedBy(3));
        try {
            manager.start(messagingOptions.responseTimeout()).get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopResources(manager);
            throw new ClusterClientException("Interrupted while connecting to the gateways", e);
        } catch (TimeoutException e) {
            String state = manager.describe();
            stopResources(manager);
            throw new ClusterClientException("No gateway became usable within " + bound + " (" + state + ")", e);
        } catch (ExecutionException e) {
            stopResources(manager);
            Throwable cause = Futures.unwrap(e);
            throw cause instanceof ClusterClientException clear
                    ? clear
                    : new ClusterClientException("Could not connect to the gateways: " + cause, cause);
        }
        gateways = manager;
        calls.start(manager, timer);
        long sweep = calls.sweepPeriod().toNanos();
        timer.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.NANOSECONDS);
        if (!source.isStatic()) {
            long refresh = refreshPeriod.toNanos();
            timer.scheduleWithFixedDelay(manager::refresh, refresh, refresh, TimeUnit.NANOSECONDS);
        }
        state = State.CONNECTED;
        log.info(
                "Cluster client {} of service '{}' cluster '{}' connected to gateways {}",
                address,
                clusterOptions.serviceId(),
                clusterOptions.clusterId(),
                manager.usableEndpoints());
    }

    private void sweep() {
        try {
            calls.sweep();
        } catch (RuntimeException e) {
            log.error("Response timeout sweep failed", e);
        }
    }

    /** The grain factory: the same API as in a silo. Proxies can be made at any time; calls work once connected. */
    public GrainFactory grainFactory() {
        return grainFactory;
    }

    /**
     * A reference to {@code observer}, a local object, that grains can call back (pass it to a grain as an
     * argument). Calls reach it through one gateway of the connected client, run on the client's response
     * threads one at a time, in order; when the client disconnects from that gateway they fail with
     * {@link ObserverUnavailableException}, so make a new reference and subscribe again after a reconnect.
     * Orleans' {@code CreateObjectReference}.
     *
     * @throws ClusterClientException the client is not connected
     */
    public <T extends GrainObserver> T createObserverReference(Class<T> observerInterface, T observer) {
        Objects.requireNonNull(observer, "observer");
        if (!observerInterface.isInterface() || !GrainObserver.class.isAssignableFrom(observerInterface)) {
            throw new IllegalArgumentException(
                    observerInterface.getName() + " is not an observer interface (one extending GrainObserver)");
        }
        GatewayManager manager = gateways;
        SiloAddress gateway = manager == null ? null : manager.anyGatewaySilo();
        if (gateway == null) {
            throw new ClusterClientException(
                    "The cluster client is not connected: connect() before creating observer references");
        }
        GrainInterfaceMetadata metadata = grainCalls.interfaceMetadata(observerInterface);
        ObserverAddress address = calls.observers().register(metadata, observer, gateway);
        return grainFactory.getGrain(observerInterface, address.grainId());
    }

    /** Forgets the observer behind {@code reference}: later calls to it fail. Whether it was this client's. */
    public boolean deleteObserverReference(Object reference) {
        GrainIdentity identity = GrainIdentity.of(reference);
        ObserverAddress address = identity == null ? null : ObserverAddress.of(identity.grainId());
        return address != null && calls.observers().delete(address);
    }

    /** Whether at least one gateway connection is open and usable. */
    public boolean isConnected() {
        GatewayManager manager = gateways;
        return manager != null && !manager.usableEndpoints().isEmpty();
    }

    /** {@code host:port} of the gateways whose connections are open and usable, sorted. */
    public List<String> connectedGateways() {
        GatewayManager manager = gateways;
        return manager == null ? List.of() : manager.usableEndpoints();
    }

    public ClusterOptions clusterOptions() {
        return clusterOptions;
    }

    /** The pseudo address this client presents to gateways. */
    SiloAddress address() {
        return address;
    }

    /** The prefix of this client's thread names (for tests). */
    String threadNamePrefix() {
        return name + "-";
    }

    /** Calls sent through each gateway so far, by {@code host:port} (for tests). */
    Map<String, Long> callsPerGateway() {
        GatewayManager manager = gateways;
        return manager == null ? Map.of() : manager.callsPerGateway();
    }

    /** Calls waiting for a response (for tests). */
    int pendingCalls() {
        return calls.pendingCount();
    }

    /** Closes the connections, fails the calls still waiting, and stops the client's threads. Idempotent. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        calls.close("The cluster client was closed");
        stopResources(gateways);
        gateways = null;
        log.info("Cluster client {} closed", address);
    }

    private void stopResources(@Nullable GatewayManager manager) {
        if (manager != null) {
            manager.close();
        }
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        if (responses != null) {
            responses.shutdown();
            responses = null;
        }
        if (messaging != null) {
            messaging.close();
            messaging = null;
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "client";
        }
    }
}
