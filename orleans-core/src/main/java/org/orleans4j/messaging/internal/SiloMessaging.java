package org.orleans4j.messaging.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.messaging.Rejection;
import org.orleans4j.messaging.TransportSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A silo's messaging endpoint over Netty TCP: accepts connections from other silos of its cluster
 * and opens (and reuses) one connection to each peer; on the gateway port it accepts cluster
 * clients, with the same framing and handshake checks. Frames are length-prefixed and bounded;
 * writes issued in one event-loop pass are flushed together. A cluster client uses the same class
 * ({@link #forClient}) to connect to gateways.
 */
public final class SiloMessaging implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SiloMessaging.class);
    private static final PeerLog peerLog = new PeerLog(log);
    /**
     * Past 4 MiB unsent a connection is unwritable: pings are then not answered (a peer that does not
     * read gets no more), and past {@link MessagingOptions#maxPendingWriteBytes()} it is closed.
     */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1024 * 1024, 4 * 1024 * 1024);

    /** How often a graceful close checks whether its connections are drained. */
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private volatile Handshake localHandshake;
    private final MessagingOptions options;
    private final ConnectionStats stats = new ConnectionStats();
    private final LingeringEventLoops loops;
    private final EventLoopGroup group;
    private final ConcurrentHashMap<SiloAddress, CompletableFuture<SiloConnection>> outbound =
            new ConcurrentHashMap<>();
    private @Nullable Channel serverChannel;
    private volatile @Nullable Channel gatewayChannel;
    /** Clients connected to the gateway: the gateway's only per-client state besides their in-flight calls. */
    private final Set<SiloConnection> clients = ConcurrentHashMap.newKeySet();
    /** The same clients by their (pseudo) address: where calls to their observers go. */
    private final ConcurrentHashMap<SiloAddress, SiloConnection> clientsByAddress = new ConcurrentHashMap<>();
    /** Every open connection, so that closing closes them: stopping the event loops alone may leave sockets open. */
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    /** The open connections past their handshake, which a graceful close drains. */
    private final Set<SiloConnection> established = ConcurrentHashMap.newKeySet();

    private volatile MessageHandler handler = (message, from) -> {
        throw new ProtocolException("this silo takes no messages yet");
    };
    private volatile java.util.function.Consumer<SiloConnection> closedListener = connection -> {};
    private volatile PeerFailureListener peerFailures = PeerFailureListener.NONE;
    private volatile ReadActivity readActivity = ReadActivity.NONE;
    private final ConnectionLimits limits;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** TLS on every connection when set; plain TCP when null. */
    private volatile @Nullable TransportSecurity transportSecurity;

    public SiloMessaging(ClusterOptions cluster, SiloAddress localSilo, MessagingOptions options, int threads) {
        this.localHandshake = new Handshake(
                Handshake.PROTOCOL_VERSION,
                cluster.serviceId(),
                cluster.clusterId(),
                localSilo,
                Handshake.Role.SILO,
                null);
        this.options = options;
        this.limits = new ConnectionLimits(options);
        this.loops = new LingeringEventLoops(options.eventLoopLinger());
        this.group = new MultiThreadIoEventLoopGroup(threads, loops.handlerFactory());
    }

    private SiloMessaging(
            ClusterOptions cluster, SiloAddress local, MessagingOptions options, int threads, String threadName) {
        this.localHandshake = new Handshake(
                Handshake.PROTOCOL_VERSION,
                cluster.serviceId(),
                cluster.clusterId(),
                local,
                Handshake.Role.CLIENT,
                null);
        this.options = options;
        this.limits = new ConnectionLimits(options);
        this.loops = new LingeringEventLoops(options.eventLoopLinger());
        // Daemon threads: a client someone forgot to close must not keep its JVM alive.
        this.group = new MultiThreadIoEventLoopGroup(
                threads, new DefaultThreadFactory(threadName, true), loops.handlerFactory());
    }

    /**
     * Messaging of a cluster client: it only {@linkplain #connect connects} to gateways, presenting
     * {@code clientAddress} (a pseudo address that no silo ever connects to) as a client, on daemon
     * threads named after {@code threadName}.
     */
    public static SiloMessaging forClient(
            ClusterOptions cluster,
            SiloAddress clientAddress,
            MessagingOptions options,
            int threads,
            String threadName) {
        return new SiloMessaging(cluster, clientAddress, options, threads, threadName);
    }

    /** Starts accepting silo connections; returns the bound port (useful when {@code port} is 0). */
    public int listen(@Nullable String bindHost, int port) {
        serverChannel = bind(
                bindHost, port, SiloChannelHandler.Side.SILO_PORT, "silo connections", "orleans.endpoints.silo-port");
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Starts accepting cluster clients on the gateway port, on the same event loops as the silo
     * connections; returns the bound port.
     */
    public int listenGateway(@Nullable String bindHost, int port) {
        gatewayChannel = bind(
                bindHost,
                port,
                SiloChannelHandler.Side.GATEWAY_PORT,
                "cluster clients (gateway)",
                "orleans.endpoints.gateway-port");
        return gatewayPort();
    }

    private Channel bind(
            @Nullable String bindHost, int port, SiloChannelHandler.Side side, String what, String property) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(initializer(side, null, null));
        InetSocketAddress address =
                bindHost == null ? new InetSocketAddress(port) : new InetSocketAddress(bindHost, port);
        Channel channel;
        try {
            channel = bootstrap.bind(address).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while binding " + address + " for " + what, e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Could not listen for " + what + " on " + address + " (is the port in use? set " + property + ")",
                    e);
        }
        log.info(
                "Listening for {} on {}:{}",
                what,
                bindHost == null ? "*" : bindHost,
                ((InetSocketAddress) channel.localAddress()).getPort());
        return channel;
    }

    /** The port the gateway listens on; 0 when it does not (no gateway, or stopped). */
    public int gatewayPort() {
        Channel channel = gatewayChannel;
        return channel == null || !channel.isOpen() ? 0 : ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * First step of a silo's stop: accepts no more clients and tells the connected ones to send new
     * calls to other gateways. Their connections stay open, so the calls already sent here are
     * still answered, until the silo closes its messaging.
     */
    public void stopGateway() {
        Channel channel = gatewayChannel;
        if (channel != null) {
            channel.close().syncUninterruptibly();
            clients.forEach(SiloConnection::sendGoingAway);
            log.info("Gateway closed; told {} connected clients to use other gateways", clients.size());
        }
    }

    /** Cluster clients connected to the gateway now. */
    public int connectedClients() {
        return clients.size();
    }

    void clientEstablished(SiloConnection client) {
        clients.add(client);
        // The first connection under an address keeps it: a later one cannot take another client's callbacks.
        clientsByAddress.putIfAbsent(client.peer(), client);
        if (gatewayChannel == null || !gatewayChannel.isOpen()) {
            client.sendGoingAway(); // accepted while the gateway was closing
        }
    }

    void clientClosed(SiloConnection client) {
        clients.remove(client);
        clientsByAddress.remove(client.peer(), client);
        try {
            closedListener.accept(client);
        } catch (RuntimeException e) {
            log.warn("A connection-closed listener failed", e);
        }
    }

    /** The open connection of the cluster client {@code client} to this gateway, or {@code null}. */
    public @Nullable SiloConnection clientConnection(SiloAddress client) {
        SiloConnection connection = clientsByAddress.get(client);
        return connection != null && connection.isOpen() ? connection : null;
    }

    /** A connection passed its handshake (on either side). */
    void established(SiloConnection connection) {
        established.add(connection);
        connection.onClose(() -> established.remove(connection));
    }

    /** The peer of {@code connection} is going away: new calls to it open a new connection (which it refuses). */
    void goingAwayReceived(SiloConnection connection) {
        outbound.computeIfPresent(
                connection.peer(),
                (peer, current) ->
                        current.isDone() && !current.isCompletedExceptionally() && current.resultNow() == connection
                                ? null
                                : current);
    }

    /** The connection to {@code peer}: the existing one, or a new one after a successful handshake. */
    public CompletableFuture<SiloConnection> connection(SiloAddress peer) {
        CompletableFuture<SiloConnection> existing = outbound.get(peer);
        if (existing != null && (!existing.isDone() || isUsable(existing))) {
            return existing;
        }
        // compute: concurrent callers share one attempt; connect() only starts a non-blocking connect.
        return outbound.compute(peer, (key, current) -> {
            if (current != null && (!current.isDone() || isUsable(current))) {
                return current;
            }
            CompletableFuture<SiloConnection> fresh = connect(key.host(), key.port(), key);
            fresh.whenComplete((c, e) -> {
                if (e != null) {
                    outbound.remove(key, fresh);
                    if (ConnectFailures.nothingListens(e) && !closed.get()) {
                        tellPeerFailed(key, "connection refused: " + e.getMessage());
                    }
                }
            });
            return fresh;
        });
    }

    private static boolean isUsable(CompletableFuture<SiloConnection> done) {
        return !done.isCompletedExceptionally() && done.resultNow().isOpen();
    }

    /** Opens a new connection (to a gateway, or to whatever silo listens there) and completes once both handshakes succeeded. */
    public CompletableFuture<SiloConnection> connect(String host, int port) {
        return connect(host, port, null);
    }

    /**
     * Opens a new connection to {@code target}, which the other side checks: another silo or another
     * generation listening on that host and port refuses it.
     */
    private CompletableFuture<SiloConnection> connect(String host, int port, @Nullable SiloAddress target) {
        CompletableFuture<SiloConnection> established = new CompletableFuture<>();
        String peer = localHandshake.role() == Handshake.Role.CLIENT ? "gateway" : "silo";
        try {
            new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                            options.handshakeTimeout().toMillis())
                    .handler(initializer(SiloChannelHandler.Side.CONNECTING, established, target))
                    .connect(host, port)
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            established.completeExceptionally(new SiloUnavailableException(
                                    "Could not connect to " + peer + " at " + host + ":" + port + ": " + f.cause(),
                                    f.cause()));
                        }
                    });
        } catch (RuntimeException e) {
            // The event loops are shutting down (the messaging is closing).
            established.completeExceptionally(new SiloUnavailableException(
                    "Could not connect to " + peer + " at " + host + ":" + port + ": messaging is closed", e));
        }
        return established;
    }

    private ChannelInitializer<SocketChannel> initializer(
            SiloChannelHandler.Side side,
            @Nullable CompletableFuture<SiloConnection> established,
            @Nullable SiloAddress target) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                if (side != SiloChannelHandler.Side.CONNECTING && !limits.admit(channel, side)) {
                    stats.reject(Rejection.CONNECTION_LIMIT);
                    peerLog.warn(
                            channel.remoteAddress(),
                            "Refusing connection from {}: more than {} connections to "
                                    + "this port, or {} from that address (orleans.messaging.max-connections, "
                                    + "max-connections-per-address)",
                            channel.remoteAddress(),
                            options.maxConnections(),
                            options.maxConnectionsPerAddress());
                    channel.close();
                    return;
                }
                channels.add(channel);
                channel.closeFuture().addListener(f -> channels.remove(channel));
                ChannelPipeline pipeline = channel.pipeline();
                TransportSecurity security = transportSecurity;
                if (security != null) {
                    TlsHandshakeGuard.install(pipeline, security, side, established, stats, options.handshakeTimeout());
                }
                FrameDecoder frames = new FrameDecoder(Handshake.MAX_FRAME_BYTES);
                pipeline.addLast(new FlushConsolidationHandler(256, true));
                pipeline.addLast(frames);
                long idle = options.idleTimeout().toNanos();
                pipeline.addLast(new IdleStateHandler(
                        false, idle, options.keepAliveInterval().toNanos(), 0, TimeUnit.NANOSECONDS));
                pipeline.addLast(new SiloChannelHandler(
                        SiloMessaging.this,
                        side,
                        established != null ? established : new CompletableFuture<>(),
                        target,
                        frames));
            }
        };
    }

    /** Secures every connection opened or accepted from now on with TLS; call before listening or connecting. */
    public void transportSecurity(@Nullable TransportSecurity security) {
        this.transportSecurity = security;
    }

    /**
     * Sets the address this silo announces in handshakes, once known: a silo listening on port 0
     * learns its port only after binding.
     */
    public void setLocalSilo(SiloAddress localSilo) {
        Handshake current = localHandshake;
        this.localHandshake = new Handshake(
                current.protocolVersion(), current.serviceId(), current.clusterId(), localSilo, current.role(), null);
    }

    /** Closes the connection to a silo that left the cluster, if any. */
    public void disconnect(SiloAddress peer) {
        CompletableFuture<SiloConnection> connection = outbound.remove(peer);
        if (connection != null) {
            connection.thenAccept(SiloConnection::close);
        }
    }

    /** Called with the connection whenever an established connection to or from a silo, or of a client, closes. */
    public void onConnectionClosed(java.util.function.Consumer<SiloConnection> listener) {
        this.closedListener = listener;
    }

    void connectionClosed(SiloConnection connection) {
        outbound.computeIfPresent(
                connection.peer(),
                (peer, current) ->
                        current.isDone() && !current.isCompletedExceptionally() && current.resultNow() == connection
                                ? null
                                : current);
        try {
            closedListener.accept(connection);
        } catch (RuntimeException e) {
            log.warn("A connection-closed listener failed", e);
        }
        tellPeerFailed(connection.peer(), connection + " closed");
    }

    /**
     * Called when a connection to a silo is refused (nothing listens on its endpoint, or another
     * generation of it does) and when an established connection to or from a silo closes; membership
     * checks that silo at once. Not called for cluster clients, nor once this messaging is closing.
     */
    public void onPeerFailure(PeerFailureListener listener) {
        this.peerFailures = java.util.Objects.requireNonNull(listener);
    }

    /** Told when connections start and end handing over what they read (the silo's turn scheduler). */
    public void readActivity(ReadActivity listener) {
        this.readActivity = java.util.Objects.requireNonNull(listener);
    }

    ReadActivity readActivity() {
        return readActivity;
    }

    private void tellPeerFailed(SiloAddress peer, String evidence) {
        try {
            peerFailures.peerFailed(peer, evidence);
        } catch (RuntimeException e) {
            log.warn("The peer-failure listener failed for {}", peer, e);
        }
    }

    /** Where messages from other silos (and, on a gateway, from clients) go. */
    public void onMessage(MessageHandler handler) {
        this.handler = handler;
    }

    void deliver(Message message, SiloConnection from) {
        try {
            handler.onMessage(message, from);
        } catch (ProtocolException e) {
            throw e;
        } catch (RuntimeException e) {
            // One bad message must not cost the connection that other calls share.
            log.error("Handling a {} from {} failed", message.direction(), from.peer(), e);
        }
    }

    Handshake localHandshake() {
        return localHandshake;
    }

    MessagingOptions options() {
        return options;
    }

    boolean isClosed() {
        return closed.get();
    }

    public ConnectionStats stats() {
        return stats;
    }

    LingeringEventLoops loops() {
        return loops;
    }

    /** Closes at once: calls in flight either way on open connections fail (the process could have died as well). */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * A graceful close: accepts no more connections, tells every peer that this side is going away and,
     * for up to {@code drainTimeout}, waits until each one acknowledged (it sends no more calls here) and
     * its calls here are answered; then closes. Without this, a call a peer wrote just before the close
     * would be lost unanswered, and the peer could not tell whether it ran.
     */
    public void close(Duration drainTimeout) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (gatewayChannel != null) {
            gatewayChannel.close().syncUninterruptibly();
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        if (drainTimeout.isPositive() && !established.isEmpty()) {
            drain(drainTimeout);
            for (SiloConnection connection : established) {
                closing.add(connection.closeAfterWrites());
            }
        }
        // Closed explicitly, so that peers see the connections end (as when a process dies) instead of
        // sockets left open by event loops that stopped without closing them.
        for (CompletableFuture<Void> future : closing) {
            try {
                future.get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                break; // whatever is left is closed below
            }
        }
        List<ChannelFuture> closed = new ArrayList<>();
        for (Channel channel : channels) {
            closed.add(channel.close());
        }
        for (ChannelFuture future : closed) {
            future.awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Going away on every connection, then waits (bounded) until each is {@linkplain SiloConnection#drained drained}. */
    private void drain(Duration timeout) {
        // Connections this side opens meanwhile (an answer whose connection closed) are only closed.
        List<SiloConnection> draining = List.copyOf(established);
        draining.forEach(SiloConnection::sendGoingAway);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !draining.stream().allMatch(SiloConnection::drained)) {
            LockSupport.parkNanos(DRAIN_POLL_NANOS);
        }
        List<SiloConnection> undrained =
                draining.stream().filter(c -> !c.drained()).toList();
        if (!undrained.isEmpty()) {
            log.warn(
                    "Closing {} connections whose peers did not confirm within {} that their calls here were answered: {}",
                    undrained.size(),
                    timeout,
                    undrained);
        }
    }
}
