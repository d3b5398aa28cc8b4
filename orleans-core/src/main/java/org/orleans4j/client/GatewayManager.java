package org.orleans4j.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.CallRetryOptions;
import org.orleans4j.cluster.HostPort;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;
import org.orleans4j.internal.ExponentialBackoff;
import org.orleans4j.internal.Futures;
import org.orleans4j.messaging.internal.HandshakeMismatchException;
import org.orleans4j.messaging.internal.Message;
import org.orleans4j.messaging.internal.SiloConnection;
import org.orleans4j.messaging.internal.SiloMessaging;
import org.orleans4j.metadata.RemoteManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's gateways: the list (static, or the membership table's, re-read periodically and
 * whenever a connection is lost), one connection per gateway, reconnection with backoff, and which
 * gateway a call goes through. A gateway is usable once its handshake succeeded and its manifest
 * was merged. Calls to one grain go through one gateway (its id's hash over the usable gateways,
 * sorted), so they arrive in the order they were made while that gateway lasts; a gateway that
 * closes, or says it is going away, stops being picked at once.
 */
final class GatewayManager {

    private static final Logger log = LoggerFactory.getLogger(GatewayManager.class);

    /** One listed gateway and its connection. Mutable state is guarded by the manager. */
    final class Gateway {
        private final HostPort endpoint;
        /** Open, handshaken and with its manifest merged; null otherwise. */
        private volatile @Nullable SiloConnection connection;

        private @Nullable CompletableFuture<SiloConnection> connecting;
        private @Nullable ScheduledFuture<?> reconnect;
        private int failures;
        private boolean listed = true;
        /** Refreshes in a row that no longer listed this gateway while it was still connected. */
        private int unlistedRefreshes;

        private final LongAdder calls = new LongAdder();

        Gateway(HostPort endpoint) {
            this.endpoint = endpoint;
        }

        HostPort endpoint() {
            return endpoint;
        }

        @Nullable
        SiloConnection connection() {
            return connection;
        }
    }

    private final SiloMessaging messaging;
    private final GatewayList source;
    private final ClientCalls calls;
    private final GrainManifest manifest;
    private final ScheduledExecutorService timer;
    private final ExponentialBackoff backoff;
    private final Duration handshakeTimeout;
    private final Map<HostPort, Gateway> gateways = new LinkedHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long lastRefresh = System.nanoTime() - Long.MAX_VALUE / 2;
    private volatile Gateway[] usable = new Gateway[0];
    private volatile boolean closed;

    GatewayManager(
            SiloMessaging messaging,
            GatewayList source,
            ClientCalls calls,
            GrainManifest manifest,
            ScheduledExecutorService timer,
            CallRetryOptions backoff,
            Duration handshakeTimeout) {
        this.messaging = messaging;
        this.source = source;
        this.calls = calls;
        this.manifest = manifest;
        this.timer = timer;
        this.backoff = backoff.backoff();
        this.handshakeTimeout = handshakeTimeout;
    }

    // ---- calls ----------------------------------------------------------------------------------

    /** The gateway for a call to {@code target}, or {@code null} when none is usable. */
    @Nullable
    Gateway select(GrainId target) {
        Gateway[] current = usable;
        if (current.length == 0) {
            return null;
        }
        Gateway gateway = current[Math.floorMod(target.stableHash(), current.length)];
        gateway.calls.increment();
        return gateway;
    }

    /** The silo of a usable gateway, for observers (they are called through it), or {@code null} when none is. */
    @Nullable
    SiloAddress anyGatewaySilo() {
        for (Gateway gateway : usable) {
            SiloConnection connection = gateway.connection();
            if (connection != null) {
                return connection.peer();
            }
        }
        return null;
    }

    /** {@code host:port} of the usable gateways. */
    List<String> usableEndpoints() {
        List<String> endpoints = new ArrayList<>();
        for (Gateway gateway : usable) {
            endpoints.add(gateway.endpoint.toString());
        }
        return endpoints;
    }

    /** Calls sent through each gateway so far (retries count again), by {@code host:port}. */
    synchronized Map<String, Long> callsPerGateway() {
        Map<String, Long> counts = new LinkedHashMap<>();
        gateways.values().forEach(g -> counts.put(g.endpoint.toString(), g.calls.sum()));
        return counts;
    }

    /** For messages: the gateways and their state. */
    synchronized String describe() {
        List<String> states = new ArrayList<>();
        for (Gateway g : gateways.values()) {
            states.add(g.endpoint
                    + (g.connection != null ? " connected" : g.connecting != null ? " connecting" : " down")
                    + (g.listed ? "" : ", unlisted"));
        }
        return source.describe() + ": " + (states.isEmpty() ? "none" : String.join("; ", states));
    }

    // ---- start ----------------------------------------------------------------------------------

    /**
     * Reads the list and connects to every gateway in it. Completes once one gateway is usable, or
     * fails with a {@link ClusterClientException} naming each address tried and why it failed.
     */
    CompletableFuture<Void> start(Duration listTimeout) {
        return read().orTimeout(listTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(new ClusterClientException(
                        "Could not read the gateway list (" + source.describe() + "): " + Futures.unwrap(e), e)))
                .thenCompose(this::connectFirst);
    }

    private CompletableFuture<Void> connectFirst(List<HostPort> endpoints) {
        if (endpoints.isEmpty()) {
            return CompletableFuture.failedFuture(new ClusterClientException("No gateway to connect to: the "
                    + source.describe() + " are none (are the silos Active, with a gateway port other than 0?)"));
        }
        List<CompletableFuture<SiloConnection>> attempts = new ArrayList<>();
        synchronized (this) {
            for (HostPort endpoint : new LinkedHashSet<>(endpoints)) {
                CompletableFuture<SiloConnection> attempt = connect(gateways.computeIfAbsent(endpoint, Gateway::new));
                attempts.add(
                        attempt != null
                                ? attempt
                                : CompletableFuture.failedFuture(new ClusterClientException("the client is closing")));
            }
        }
        CompletableFuture<Void> first = new CompletableFuture<>();
        Map<HostPort, Throwable> failures = new ConcurrentHashMap<>();
        List<HostPort> tried = List.copyOf(new LinkedHashSet<>(endpoints));
        AtomicInteger remaining = new AtomicInteger(attempts.size());
        for (int i = 0; i < attempts.size(); i++) {
            HostPort endpoint = tried.get(i);
            attempts.get(i).whenComplete((connection, error) -> {
                if (error == null) {
                    first.complete(null);
                    return;
                }
                failures.put(endpoint, Futures.unwrap(error));
                if (remaining.decrementAndGet() == 0) {
                    first.completeExceptionally(noGateway(tried, failures));
                }
            });
        }
        return first;
    }

    private ClusterClientException noGateway(List<HostPort> tried, Map<HostPort, Throwable> failures) {
        // A gateway of another cluster is the likeliest misconfiguration, and the clearest answer: first.
        List<HostPort> order = new ArrayList<>(tried);
        order.sort(Comparator.comparing(e -> failures.get(e) instanceof HandshakeMismatchException ? 0 : 1));
        StringBuilder text = new StringBuilder();
        @Nullable HandshakeMismatchException mismatch = null;
        for (HostPort endpoint : order) {
            Throwable failure = failures.get(endpoint);
            if (failure instanceof HandshakeMismatchException m && mismatch == null) {
                mismatch = m;
            }
            text.append("\n  ").append(endpoint).append(": ").append(failure == null ? "?" : failure.getMessage());
        }
        String lead = mismatch != null && mismatch.clusterDiffers()
                ? "Gateway refused this client: it does not serve service '"
                        + mismatch.local().serviceId()
                        + "' cluster '" + mismatch.local().clusterId() + "', which this client is configured for "
                        + "(ClusterOptions; orleans.client.service-id and cluster-id must be the cluster's)."
                : "Could not connect to any gateway.";
        return new ClusterClientException(
                lead + " Tried " + tried.size() + " (" + source.describe() + "):" + text, mismatch);
    }

    // ---- connections ----------------------------------------------------------------------------

    /**
     * Starts connecting to {@code gateway} unless it is connected or connecting already; the attempt,
     * which completes once the gateway is usable, or {@code null} when none was started.
     */
    private synchronized @Nullable CompletableFuture<SiloConnection> connect(Gateway gateway) {
        if (closed || gateway.connection != null) {
            return null;
        }
        if (gateway.connecting != null) {
            return gateway.connecting;
        }
        if (gateway.reconnect != null) {
            gateway.reconnect.cancel(false);
            gateway.reconnect = null;
        }
        CompletableFuture<SiloConnection> attempt = messaging
                .connect(gateway.endpoint.host(), gateway.endpoint.port())
                .thenCompose(connection -> calls.systemTarget(
                                connection, Message.MANIFEST_TARGET, RemoteManifest.class, handshakeTimeout)
                        .manifest()
                        .handle((value, error) -> {
                            if (error != null) {
                                connection.close();
                                throw new ClusterClientException(
                                        "Gateway " + gateway.endpoint + " gave no grain " + "manifest: "
                                                + Futures.unwrap(error).getMessage(),
                                        Futures.unwrap(error));
                            }
                            manifest.merge(value);
                            return connection;
                        }));
        gateway.connecting = attempt;
        attempt.whenComplete((connection, error) -> connected(gateway, connection, error));
        return attempt;
    }

    private void connected(Gateway gateway, SiloConnection connection, Throwable error) {
        synchronized (this) {
            gateway.connecting = null;
            if (closed) {
                if (connection != null) {
                    connection.close();
                }
                return;
            }
            if (error != null) {
                gateway.failures++;
                log.debug(
                        "Gateway {} is unreachable (attempt {}): {}",
                        gateway.endpoint,
                        gateway.failures,
                        Futures.unwrap(error).toString());
                if (gateway.failures == 1 || gateway.failures % 20 == 0) {
                    log.warn(
                            "Cannot connect to gateway {} ({} attempts so far): {}",
                            gateway.endpoint,
                            gateway.failures,
                            Futures.unwrap(error).getMessage());
                }
                scheduleReconnect(gateway);
                if (usable.length == 0) {
                    // Nothing works: the cluster may have moved (new addresses after a restart); look again.
                    refreshSoon();
                }
                return;
            }
            gateway.failures = 0;
            gateway.connection = connection;
            updateUsable();
            log.info("Connected to gateway {} (silo {})", gateway.endpoint, connection.peer());
        }
        connection.onGoingAway(() -> goingAway(gateway, connection));
        connection.onClose(() -> connectionClosed(gateway, connection));
    }

    /** The gateway's silo is stopping: new calls go elsewhere; the ones sent there are still answered. */
    private void goingAway(Gateway gateway, SiloConnection connection) {
        synchronized (this) {
            if (gateway.connection != connection) {
                return;
            }
            gateway.connection = null;
            updateUsable();
            log.info(
                    "Gateway {} (silo {}) is going away; new calls use the other gateways",
                    gateway.endpoint,
                    connection.peer());
            // A load-balanced address may lead to another silo now; a direct one refuses and backs off.
            scheduleReconnect(gateway);
        }
        refreshSoon();
    }

    private void connectionClosed(Gateway gateway, SiloConnection connection) {
        calls.connectionClosed(connection, gateway.endpoint.toString());
        synchronized (this) {
            if (closed) {
                return;
            }
            if (gateway.connection == connection) {
                gateway.connection = null;
                updateUsable();
                log.warn(
                        "Lost the connection to gateway {} (silo {}); reconnecting",
                        gateway.endpoint,
                        connection.peer());
            }
            if (!gateway.listed) {
                gateways.remove(gateway.endpoint, gateway);
            } else if (gateway.connection == null) {
                scheduleReconnect(gateway);
            }
        }
        refreshSoon();
    }

    private synchronized void scheduleReconnect(Gateway gateway) {
        if (closed
                || !gateway.listed
                || gateway.connection != null
                || gateway.connecting != null
                || (gateway.reconnect != null && !gateway.reconnect.isDone())) {
            return;
        }
        long delay = backoff.delayMillis(gateway.failures + 1);
        try {
            gateway.reconnect = timer.schedule(
                    () -> {
                        synchronized (this) {
                            gateway.reconnect = null;
                        }
                        connect(gateway);
                    },
                    delay,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the client is closing
        }
    }

    private void updateUsable() {
        usable = gateways.values().stream()
                .filter(g -> g.listed && g.connection != null)
                .sorted(Comparator.comparing(g -> g.endpoint))
                .toArray(Gateway[]::new);
    }

    // ---- refresh --------------------------------------------------------------------------------

    /**
     * Re-reads the list now, unless a read is under way, the list is static, or the last read was
     * less than the longest reconnection backoff ago (a client cut off from every gateway would
     * otherwise read the table on each failed attempt).
     */
    void refreshSoon() {
        if (System.nanoTime() - lastRefresh >= backoff.max().toNanos()) {
            refresh();
        }
    }

    /** Re-reads the list now, unless a read is under way or the list is static (the periodic refresh). */
    void refresh() {
        if (closed || source.isStatic() || !refreshing.compareAndSet(false, true)) {
            return;
        }
        lastRefresh = System.nanoTime();
        try {
            // On the timer: a table read may block, and this is often called on a network thread.
            timer.execute(() -> {
                read().whenComplete((endpoints, error) -> {
                    refreshing.set(false);
                    if (error != null) {
                        log.warn(
                                "Could not refresh the gateway list ({}): {}",
                                source.describe(),
                                Futures.unwrap(error).toString());
                    } else {
                        apply(endpoints);
                    }
                });
            });
        } catch (RejectedExecutionException stopping) {
            refreshing.set(false);
        }
    }

    private synchronized void apply(List<HostPort> endpoints) {
        if (closed) {
            return;
        }
        if (endpoints.isEmpty()) {
            // Most likely a transient read of a table in flux: keep what works.
            log.warn("The {} are none right now; keeping the current gateways", source.describe());
            return;
        }
        Set<HostPort> listed = new HashSet<>(endpoints);
        for (HostPort endpoint : endpoints) {
            Gateway gateway = gateways.get(endpoint);
            if (gateway == null) {
                gateway = new Gateway(endpoint);
                gateways.put(endpoint, gateway);
                log.info("New gateway {} in the list", endpoint);
            }
            gateway.listed = true;
            gateway.unlistedRefreshes = 0;
            if (gateway.connection == null && gateway.connecting == null && gateway.reconnect == null) {
                connect(gateway);
            }
        }
        for (Gateway gateway : List.copyOf(gateways.values())) {
            if (listed.contains(gateway.endpoint)) {
                continue;
            }
            gateway.listed = false;
            if (gateway.reconnect != null) {
                gateway.reconnect.cancel(false);
                gateway.reconnect = null;
            }
            if (gateway.connection == null && gateway.connecting == null) {
                gateways.remove(gateway.endpoint);
            } else if (++gateway.unlistedRefreshes >= 2 && gateway.connection != null) {
                // Not picked since it left the list; gone from two reads in a row, its silo is leaving or dead.
                log.info("Gateway {} is no longer listed; closing its connection", gateway.endpoint);
                gateway.connection.close();
            }
        }
        updateUsable();
    }

    /** The list, with a table that throws instead of failing its future turned into a failed future. */
    private CompletableFuture<List<HostPort>> read() {
        try {
            return source.read();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ---- close ----------------------------------------------------------------------------------

    /** Closes every connection; no reconnection after this. */
    void close() {
        List<SiloConnection> open = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Gateway gateway : gateways.values()) {
                if (gateway.reconnect != null) {
                    gateway.reconnect.cancel(false);
                }
                if (gateway.connection != null) {
                    open.add(gateway.connection);
                }
                gateway.connection = null;
            }
            usable = new Gateway[0];
        }
        open.forEach(SiloConnection::close);
    }
}
