package org.orleans4j.messaging;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol of one connection: handshake first (the connecting side speaks first, the accepting
 * side answers with its own), then typed frames. The accepting side answers even a handshake it
 * refuses, then closes: the side that connected can then say exactly which ids differ. Anything
 * unexpected closes this connection only, and is counted.
 */
final class SiloChannelHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SiloChannelHandler.class);

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
    private SiloConnection connection;
    private ScheduledFuture<?> handshakeTimer;
    /** The connection is being closed for bad input (a refused handshake is answered first). */
    private boolean refused;

    SiloChannelHandler(SiloMessaging messaging, Side side, CompletableFuture<SiloConnection> established) {
        this.messaging = messaging;
        this.side = side;
        this.established = established;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long timeout = messaging.options().handshakeTimeout().toNanos();
        handshakeTimer = ctx.executor().schedule(() -> {
            if (connection == null && !refused) {
                messaging.stats().handshakeTimeouts.increment();
                reject(ctx, new ProtocolException("no handshake within " + messaging.options().handshakeTimeout()));
            }
        }, timeout, TimeUnit.NANOSECONDS);
        if (side == Side.CONNECTING) {
            ByteBuf frame = Frames.newFrame(ctx.alloc(), 128);
            messaging.localHandshake().writeTo(frame);
            ctx.writeAndFlush(Frames.end(frame));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (refused) {
                return; // closing: whatever else the peer sent is dropped
            }
            if (connection == null) {
                onHandshake(ctx, Handshake.readFrom(frame));
            } else {
                onFrame(ctx, frame);
            }
        } catch (ProtocolException e) {
            if (connection == null) {
                messaging.stats().rejectedHandshakes.increment();
            } else {
                messaging.stats().malformedFrames.increment();
            }
            reject(ctx, e);
        } catch (IndexOutOfBoundsException e) {
            messaging.stats().malformedFrames.increment();
            reject(ctx, new ProtocolException("truncated frame"));
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    private void onHandshake(ChannelHandlerContext ctx, Handshake peer) {
        Handshake local = side == Side.GATEWAY_PORT ? messaging.localHandshake().withRole(Handshake.Role.GATEWAY)
                : messaging.localHandshake();
        String mismatch = mismatch(ctx, local, peer);
        if (side == Side.CONNECTING) {
            if (mismatch != null) {
                throw new HandshakeMismatchException(mismatch, local, peer);
            }
        } else {
            ByteBuf reply = Frames.newFrame(ctx.alloc(), 128);
            local.writeTo(reply);
            if (mismatch != null) {
                messaging.stats().rejectedHandshakes.increment();
                refused = true;
                handshakeTimer.cancel(false);
                log.warn("Refusing connection from {}: {}", ctx.channel().remoteAddress(), mismatch);
                established.completeExceptionally(new HandshakeMismatchException(mismatch, local, peer));
                ctx.writeAndFlush(Frames.end(reply)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.writeAndFlush(Frames.end(reply));
        }
        handshakeTimer.cancel(false);
        connection = new SiloConnection(ctx.channel(), peer.sender(), messaging.stats(), side == Side.GATEWAY_PORT);
        established.complete(connection);
        if (side == Side.SILO_PORT) {
            messaging.stats().accepted.increment();
            messaging.inboundEstablished(connection);
        } else if (side == Side.GATEWAY_PORT) {
            messaging.stats().clientsAccepted.increment();
            messaging.clientEstablished(connection);
        }
    }

    /** Why {@code peer} may not talk to this side, or {@code null} when it may. */
    private String mismatch(ChannelHandlerContext ctx, Handshake local, Handshake peer) {
        String peerName = describe(peer.role()) + " " + peer.sender();
        if (!peer.sameClusterAs(local)) {
            return (side == Side.CONNECTING ? ctx.channel().remoteAddress() + " (" + peerName + ")" : peerName)
                    + " belongs to service '" + peer.serviceId() + "' cluster '" + peer.clusterId() + "', but this "
                    + (local.role() == Handshake.Role.CLIENT ? "cluster client" : "silo") + " belongs to service '"
                    + local.serviceId() + "' cluster '" + local.clusterId() + "'";
        }
        Handshake.Role expected = switch (side) {
            case SILO_PORT -> Handshake.Role.SILO;
            case GATEWAY_PORT -> Handshake.Role.CLIENT;
            case CONNECTING -> local.role() == Handshake.Role.CLIENT ? Handshake.Role.GATEWAY : Handshake.Role.SILO;
        };
        if (peer.role() == expected) {
            return null;
        }
        return switch (side) {
            case SILO_PORT -> peerName + " connected to the silo-to-silo port; clients connect to a gateway port "
                    + "(orleans.endpoints.gateway-port, 30000 by default)";
            case GATEWAY_PORT -> peerName + " connected to the gateway port; silos connect to each other's silo port";
            case CONNECTING -> expected == Handshake.Role.GATEWAY
                    ? ctx.channel().remoteAddress() + " answered as the silo-to-silo port of silo " + peer.sender()
                            + ", not as a gateway; a client connects to a gateway port (orleans.endpoints.gateway-port, "
                            + "30000 by default)"
                    : ctx.channel().remoteAddress() + " answered as the gateway of silo " + peer.sender()
                            + ", not as its silo port";
        };
    }

    private static String describe(Handshake.Role role) {
        return switch (role) {
            case SILO -> "silo";
            case GATEWAY -> "gateway of silo";
            case CLIENT -> "cluster client";
        };
    }

    private void onFrame(ChannelHandlerContext ctx, ByteBuf frame) {
        byte type = frame.readByte();
        switch (type) {
            case SiloConnection.PING -> ctx.writeAndFlush(Frames.end(Frames.newFrame(ctx.alloc(), 9)
                    .writeByte(SiloConnection.PONG).writeLong(frame.readLong())));
            case SiloConnection.PONG -> connection.onPong(frame.readLong());
            case SiloConnection.MESSAGE -> {
                messaging.stats().messagesReceived.increment();
                messaging.deliver(MessageCodec.decode(frame), connection);
            }
            case SiloConnection.GOING_AWAY -> {
                if (side != Side.CONNECTING) {
                    throw new ProtocolException("only a gateway may say it is going away");
                }
                connection.goingAwayReceived();
            }
            default -> throw new ProtocolException("unknown frame type " + type);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof TooLongFrameException) {
            messaging.stats().oversizedFrames.increment();
            reject(ctx, new ProtocolException("frame larger than " + messaging.options().maxFrameBytes() + " bytes"));
        } else if (cause instanceof DecoderException) {
            messaging.stats().malformedFrames.increment();
            reject(ctx, new ProtocolException("undecodable frame: " + root));
        } else {
            log.warn("Connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (connection != null && !messaging.isClosed()) {
            if (connection.isClient()) {
                messaging.clientClosed(connection);
            } else {
                messaging.connectionClosed(connection);
            }
        }
        established.completeExceptionally(new ProtocolException("connection closed before the handshake completed"));
        ctx.fireChannelInactive();
    }

    private void reject(ChannelHandlerContext ctx, ProtocolException reason) {
        refused = true;
        log.warn("Closing connection {} {}: {}", side == Side.CONNECTING ? "to" : "from", ctx.channel().remoteAddress(),
                reason.getMessage());
        established.completeExceptionally(reason);
        ctx.close();
    }
}
