package org.orleans4j.messaging;

import io.netty.buffer.ByteBuf;
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
 * The protocol of one silo connection: handshake first (the connecting side speaks first, the
 * accepting side answers with its own), then typed frames. Anything unexpected closes this
 * connection only, and is counted.
 */
final class SiloChannelHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SiloChannelHandler.class);

    private final SiloMessaging messaging;
    private final boolean accepting;
    private final CompletableFuture<SiloConnection> established;
    private SiloConnection connection;
    private ScheduledFuture<?> handshakeTimer;

    SiloChannelHandler(SiloMessaging messaging, boolean accepting, CompletableFuture<SiloConnection> established) {
        this.messaging = messaging;
        this.accepting = accepting;
        this.established = established;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long timeout = messaging.options().handshakeTimeout().toNanos();
        handshakeTimer = ctx.executor().schedule(() -> {
            if (connection == null) {
                messaging.stats().handshakeTimeouts.increment();
                reject(ctx, "no handshake within " + messaging.options().handshakeTimeout());
            }
        }, timeout, TimeUnit.NANOSECONDS);
        if (!accepting) {
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
            reject(ctx, e.getMessage());
        } catch (IndexOutOfBoundsException e) {
            messaging.stats().malformedFrames.increment();
            reject(ctx, "truncated frame");
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    private void onHandshake(ChannelHandlerContext ctx, Handshake peer) {
        Handshake local = messaging.localHandshake();
        if (peer.protocolVersion() != local.protocolVersion() || !peer.serviceId().equals(local.serviceId())
                || !peer.clusterId().equals(local.clusterId())) {
            throw new ProtocolException("peer " + peer.sender() + " belongs to service '" + peer.serviceId()
                    + "' cluster '" + peer.clusterId() + "' (protocol " + peer.protocolVersion() + "), this silo to '"
                    + local.serviceId() + "' '" + local.clusterId() + "' (protocol " + local.protocolVersion() + ")");
        }
        handshakeTimer.cancel(false);
        if (accepting) {
            ByteBuf reply = Frames.newFrame(ctx.alloc(), 128);
            local.writeTo(reply);
            ctx.writeAndFlush(Frames.end(reply));
            messaging.stats().accepted.increment();
        }
        connection = new SiloConnection(ctx.channel(), peer.sender(), messaging.stats());
        established.complete(connection);
        if (accepting) {
            messaging.inboundEstablished(connection);
        }
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
            default -> throw new ProtocolException("unknown frame type " + type);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof TooLongFrameException) {
            messaging.stats().oversizedFrames.increment();
            reject(ctx, "frame larger than " + messaging.options().maxFrameBytes() + " bytes");
        } else if (cause instanceof DecoderException) {
            messaging.stats().malformedFrames.increment();
            reject(ctx, "undecodable frame: " + root);
        } else {
            log.warn("Silo connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (connection != null && !messaging.isClosed()) {
            messaging.connectionClosed(connection);
        }
        established.completeExceptionally(new ProtocolException("connection closed before the handshake completed"));
        ctx.fireChannelInactive();
    }

    private void reject(ChannelHandlerContext ctx, String reason) {
        log.warn("Closing silo connection from {}: {}", ctx.channel().remoteAddress(), reason);
        established.completeExceptionally(new ProtocolException(reason));
        ctx.close();
    }
}
