package org.orleans4j.messaging.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.messaging.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol of one connection: handshake first (the connecting side speaks first, the accepting
 * side answers with its own, or with the reason it refuses and nothing else), then typed frames.
 * Anything unexpected closes this connection only, and is counted. Once established, the connection
 * is closed when nothing arrives within the idle timeout (both sides ping when they have had nothing to
 * send for a third of it) or when a frame takes longer than the frame timeout to arrive.
 */
final class SiloChannelHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SiloChannelHandler.class);
    private static final PeerLog peerLog = new PeerLog(log);

    /** Which end of which kind of connection this handler serves. */
    enum Side {
        /** Accepted on the silo-to-silo port: the peer must be a silo. */
        SILO_PORT,
        /** Accepted on the gateway port: the peer must be a cluster client. */
        GATEWAY_PORT,
        /** Opened by this side (a silo to another silo, or a client to a gateway). */
        CONNECTING
    }

    private final SiloMessaging messaging;
    private final Side side;
    private final CompletableFuture<SiloConnection> established;
    /** The silo this side connects to, with its generation; null when accepting, or for a client. */
    private final @Nullable SiloAddress target;

    private final FrameDecoder frames;
    private @Nullable SiloConnection connection;
    private @Nullable ScheduledFuture<?> handshakeTimer;
    private @Nullable ScheduledFuture<?> frameWatch;
    /** The connection is being closed for bad input (a refused handshake is answered first). */
    private boolean refused;
    /** The listener told that this connection started handing over a read, until told it ended; else null. */
    private @Nullable ReadActivity reading;

    SiloChannelHandler(
            SiloMessaging messaging,
            Side side,
            CompletableFuture<SiloConnection> established,
            @Nullable SiloAddress target,
            FrameDecoder frames) {
        this.messaging = messaging;
        this.side = side;
        this.established = established;
        this.target = target;
        this.frames = frames;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long timeout = messaging.options().handshakeTimeout().toNanos();
        handshakeTimer = ctx.executor()
                .schedule(
                        () -> {
                            if (connection == null && !refused) {
                                messaging.stats().reject(Rejection.HANDSHAKE_TIMEOUT);
                                reject(
                                        ctx,
                                        new ProtocolException("no handshake within "
                                                + messaging.options().handshakeTimeout()));
                            }
                        },
                        timeout,
                        TimeUnit.NANOSECONDS);
        if (side == Side.CONNECTING) {
            ByteBuf frame = Frames.newFrame(ctx.alloc(), 128);
            messaging.localHandshake().withTarget(target).writeTo(frame);
            ctx.writeAndFlush(Frames.end(frame));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (reading == null) {
            reading = messaging.readActivity();
            reading.readStarted();
        }
        try {
            if (refused) {
                return; // closing: whatever else the peer sent is dropped
            }
            if (connection == null) {
                onHandshake(ctx, Handshake.readFrom(frame));
            } else {
                onFrame(ctx, frame);
            }
        } catch (HandshakeMismatchException e) {
            messaging.stats().reject(Rejection.HANDSHAKE_MISMATCH);
            reject(ctx, e);
        } catch (UnsupportedVersionException e) {
            messaging.stats().reject(Rejection.HANDSHAKE_MISMATCH);
            if (side == Side.CONNECTING) {
                reject(ctx, e);
            } else {
                // The refusal carries this side's versions: the connecting side can name both in its log.
                peerLog.warn(
                        ctx.channel().remoteAddress(),
                        "Refusing connection from {}: {}",
                        ctx.channel().remoteAddress(),
                        e.getMessage());
                refuse(ctx, Handshake.Refusal.UNSUPPORTED_VERSION, e);
            }
        } catch (ForgedSenderException e) {
            messaging.stats().reject(Rejection.FORGED_SENDER);
            reject(ctx, e);
        } catch (ProtocolException e) {
            messaging.stats().reject(connection == null ? Rejection.HANDSHAKE_MISMATCH : Rejection.MALFORMED_FRAME);
            reject(ctx, e);
        } catch (IndexOutOfBoundsException e) {
            messaging.stats().reject(Rejection.MALFORMED_FRAME);
            reject(ctx, new ProtocolException("truncated frame"));
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    private void onHandshake(ChannelHandlerContext ctx, Handshake.Received received) {
        Handshake local = side == Side.GATEWAY_PORT
                ? messaging.localHandshake().withRole(Handshake.Role.GATEWAY)
                : messaging.localHandshake();
        if (side == Side.CONNECTING) {
            if (received.refusal() != null) {
                throw new HandshakeMismatchException(
                        refusedMessage(ctx, local, received.refusal()), local, received.refusal());
            }
            Handshake.Refusal mismatch = answerMismatch(local, received.handshake());
            if (mismatch != null) {
                throw new HandshakeMismatchException(refusedMessage(ctx, local, mismatch), local, mismatch);
            }
        } else {
            Handshake.Refusal refusal = refusal(local, received);
            if (refusal != null) {
                messaging.stats().reject(Rejection.HANDSHAKE_MISMATCH);
                Handshake peer = received.handshake();
                peerLog.warn(
                        ctx.channel().remoteAddress(),
                        "Refusing connection from {} ({} {}, service '{}' cluster '{}'): {}",
                        ctx.channel().remoteAddress(),
                        peer == null ? "?" : peer.role(),
                        peer == null ? "?" : peer.sender(),
                        peer == null ? "?" : peer.serviceId(),
                        peer == null ? "?" : peer.clusterId(),
                        refusal);
                refuse(ctx, refusal, new HandshakeMismatchException("refused: " + refusal, local, refusal));
                return;
            }
            ByteBuf reply = Frames.newFrame(ctx.alloc(), 128);
            local.writeTo(reply);
            ctx.writeAndFlush(Frames.end(reply));
        }
        handshakeTimer.cancel(false);
        frames.maxFrameBytes(messaging.options().maxFrameBytes());
        Handshake peer = received.handshake();
        connection = new SiloConnection(
                ctx.channel(),
                peer.sender(),
                messaging.stats(),
                side == Side.GATEWAY_PORT,
                messaging.options().maxPendingWriteBytes(),
                local.agreedVersion(peer),
                messaging.loops());
        watchFrames(ctx);
        messaging.established(connection);
        established.complete(connection);
        if (side == Side.SILO_PORT) {
            messaging.stats().accepted.increment();
        } else if (side == Side.GATEWAY_PORT) {
            messaging.stats().clientsAccepted.increment();
            messaging.clientEstablished(connection);
        }
    }

    /** Why the accepting side refuses {@code received}, or {@code null} when it accepts it. */
    private Handshake.@Nullable Refusal refusal(Handshake local, Handshake.Received received) {
        Handshake peer = received.handshake();
        if (peer == null) {
            throw new ProtocolException("a refusal sent as the first frame of a connection");
        }
        if (!peer.sameClusterAs(local)) {
            return Handshake.Refusal.OTHER_CLUSTER;
        }
        if (side == Side.SILO_PORT) {
            if (peer.role() != Handshake.Role.SILO) {
                return Handshake.Refusal.NOT_A_SILO;
            }
            // A silo names the silo it means: a restarted process on this endpoint must not answer for its predecessor.
            if (peer.target() == null || !peer.target().equals(local.sender())) {
                return Handshake.Refusal.OTHER_SILO;
            }
        } else if (peer.role() != Handshake.Role.CLIENT) {
            return Handshake.Refusal.NOT_A_CLIENT;
        }
        return null;
    }

    /** Checks the answer of the side this side connected to; a refusal reason when it is not what was meant. */
    private Handshake.@Nullable Refusal answerMismatch(Handshake local, Handshake peer) {
        if (!peer.sameClusterAs(local)) {
            return Handshake.Refusal.OTHER_CLUSTER;
        }
        boolean client = local.role() == Handshake.Role.CLIENT;
        if (client && peer.role() != Handshake.Role.GATEWAY) {
            return Handshake.Refusal.NOT_A_CLIENT;
        }
        if (!client && peer.role() != Handshake.Role.SILO) {
            return Handshake.Refusal.NOT_A_SILO;
        }
        if (target != null && !target.equals(peer.sender())) {
            return Handshake.Refusal.OTHER_SILO;
        }
        return null;
    }

    /** What the connecting side reports when {@code reason} stopped the handshake. */
    private String refusedMessage(ChannelHandlerContext ctx, Handshake local, Handshake.Refusal reason) {
        Object remote = ctx.channel().remoteAddress();
        String self = local.role() == Handshake.Role.CLIENT ? "cluster client" : "silo";
        return switch (reason) {
            case OTHER_CLUSTER ->
                remote + " refused this " + self + ": it does not belong to service '"
                        + local.serviceId() + "' cluster '" + local.clusterId()
                        + "' (the service id and cluster id must"
                        + " be the same on every silo and client of a cluster)";
            case NOT_A_SILO ->
                local.role() == Handshake.Role.CLIENT
                        ? remote
                                + " answered as the silo-to-silo port of a silo, not as a gateway; a client connects to "
                                + "a gateway port (orleans.endpoints.gateway-port, 30000 by default)"
                        : remote + " refused this silo: it is not a silo port";
            case NOT_A_CLIENT ->
                local.role() == Handshake.Role.CLIENT
                        ? remote + " refused this cluster client: it is not a gateway port"
                        : remote + " answered as the gateway of a silo, not as its silo port; silos connect to each "
                                + "other's silo port";
            case UNSUPPORTED_VERSION ->
                remote + " refused this " + self + ": it speaks no protocol version this build does";
            case OTHER_SILO ->
                target == null
                        ? remote + " refused this silo: a silo connects to a silo by its full address (with generation)"
                        : remote + " is not silo " + target
                                + ": another silo, or another generation of it (it restarted), " + "listens there now";
        };
    }

    private void onFrame(ChannelHandlerContext ctx, ByteBuf frame) {
        byte type = frame.readByte();
        switch (type) {
            case SiloConnection.PING -> {
                long id = frame.readLong();
                if (ctx.channel().isWritable()) {
                    ctx.writeAndFlush(Frames.end(Frames.newFrame(ctx.alloc(), 9)
                            .writeByte(SiloConnection.PONG)
                            .writeLong(id)));
                } else {
                    // The peer is not reading what it was sent: answering would only grow the backlog.
                    messaging.stats().reject(Rejection.UNANSWERED_PING);
                }
            }
            case SiloConnection.PONG -> connection.onPong(frame.readLong());
            case SiloConnection.MESSAGE -> {
                messaging.stats().messagesReceived.increment();
                Message message = connection.decode(frame);
                if (!message.sendingSilo().equals(connection.peer())) {
                    throw new ForgedSenderException("message names sending silo " + message.sendingSilo()
                            + ", but the connection's peer is " + connection.peer());
                }
                messaging.deliver(message, connection);
            }
            case SiloConnection.GOING_AWAY -> {
                messaging.goingAwayReceived(connection);
                connection.goingAwayReceived();
            }
            case SiloConnection.GOING_AWAY_ACK -> connection.goingAwayAcknowledged();
            default -> throw new ProtocolException("unknown frame type " + type);
        }
    }

    /** Checks a few times per frame timeout that no frame has been arriving for longer than that. */
    private void watchFrames(ChannelHandlerContext ctx) {
        long limit = messaging.options().frameTimeout().toNanos();
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(50), limit / 4);
        frameWatch = ctx.executor()
                .scheduleAtFixedRate(
                        () -> {
                            if (!refused && frames.partialForNanos(System.nanoTime()) > limit) {
                                messaging.stats().reject(Rejection.SLOW_FRAME);
                                reject(
                                        ctx,
                                        new ProtocolException("a frame took longer than "
                                                + messaging.options().frameTimeout() + " to arrive"));
                            }
                        },
                        period,
                        period,
                        TimeUnit.NANOSECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent idle && connection != null && !refused) {
            if (idle.state() == IdleState.READER_IDLE) {
                messaging.stats().reject(Rejection.IDLE_TIMEOUT);
                reject(
                        ctx,
                        new ProtocolException(
                                "nothing received within " + messaging.options().idleTimeout()));
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                connection.keepAlive(messaging.options().idleTimeout());
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof TooLongFrameException) {
            messaging.stats().reject(Rejection.OVERSIZED_FRAME);
            reject(
                    ctx,
                    new ProtocolException(
                            connection == null
                                    ? "first frame larger than " + Handshake.MAX_FRAME_BYTES
                                            + " bytes before the handshake"
                                    : "frame larger than " + messaging.options().maxFrameBytes() + " bytes"));
        } else if (cause instanceof DecoderException) {
            messaging.stats().reject(Rejection.MALFORMED_FRAME);
            reject(ctx, new ProtocolException("undecodable frame: " + root));
        } else if (root instanceof IOException) {
            // A reset or broken pipe: the peer went away; nothing to learn from a stack trace.
            log.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), root.toString());
            ctx.close();
        } else {
            peerLog.warn(
                    ctx.channel().remoteAddress(),
                    "Connection {} failed; closing it: {}",
                    ctx.channel().remoteAddress(),
                    root.toString());
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        endRead();
        ctx.fireChannelReadComplete();
    }

    /** The frames of one read are all handed over (or the connection closed while it was at them). */
    private void endRead() {
        ReadActivity started = reading;
        if (started != null) {
            reading = null;
            started.readEnded();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        endRead();
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (frameWatch != null) {
            frameWatch.cancel(false);
        }
        if (connection != null && !messaging.isClosed()) {
            if (connection.isClient()) {
                messaging.clientClosed(connection);
            } else {
                messaging.connectionClosed(connection);
            }
        }
        established.completeExceptionally(new ProtocolException(
                side == Side.CONNECTING
                        ? ctx.channel().remoteAddress()
                                + " closed the connection before answering the handshake: it is stopping or"
                                + " starting, or it uses TLS and this side does not (then set"
                                + " orleans.endpoints.ssl.bundle or orleans.client.ssl.bundle; a cluster runs with TLS"
                                + " on every silo and client or on none)"
                        : "connection closed before the handshake completed"));
        ctx.fireChannelInactive();
    }

    /** The accepting side's answer to a handshake it refuses: the reason (and this side's versions), then close. */
    private void refuse(ChannelHandlerContext ctx, Handshake.Refusal reason, ProtocolException failure) {
        refused = true;
        handshakeTimer.cancel(false);
        established.completeExceptionally(failure);
        ByteBuf reply = Frames.newFrame(ctx.alloc(), 12);
        Handshake.writeRefusal(reply, reason);
        ctx.writeAndFlush(Frames.end(reply)).addListener(ChannelFutureListener.CLOSE);
    }

    private void reject(ChannelHandlerContext ctx, ProtocolException reason) {
        refused = true;
        if (side == Side.CONNECTING) {
            peerLog.warn(
                    ctx.channel().remoteAddress(),
                    "Closing connection to {}: {}",
                    ctx.channel().remoteAddress(),
                    reason.getMessage());
        } else {
            peerLog.warn(
                    ctx.channel().remoteAddress(),
                    "Closing connection from {}{}: {}",
                    ctx.channel().remoteAddress(),
                    connection == null ? "" : " (" + connection.peer() + ")",
                    reason.getMessage());
        }
        established.completeExceptionally(reason);
        ctx.close();
    }

    /** A message's sending silo is not the connection's handshaken peer. */
    static final class ForgedSenderException extends ProtocolException {
        ForgedSenderException(String message) {
            super(message);
        }
    }
}
