package org.orleans4j.messaging.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.orleans4j.messaging.Rejection;
import org.orleans4j.messaging.TransportSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the {@link SslHandler} of a connection and turns a failed TLS handshake into one
 * counted, explained failure: the connection is closed, {@link ConnectionStats#tlsFailures()} grows,
 * one WARN line (no stack trace) says who and why, and on the side that connected the pending
 * connection fails with a {@link TlsHandshakeException} naming the peer and the likely fix. TLS
 * errors stop here, so the protocol handler behind never takes them for bad frames.
 */
final class TlsHandshakeGuard extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeGuard.class);
    /** One line per remote address every few seconds: a peer retrying in a loop must not flood the log. */
    private static final PeerLog peerLog = new PeerLog(log);

    private final TransportSecurity security;
    private final SiloChannelHandler.Side side;
    /** The connecting side's pending connection; {@code null} on accepted connections (nobody waits for them). */
    private final @Nullable CompletableFuture<SiloConnection> established;

    private final ConnectionStats stats;
    private boolean handshaken;
    private boolean failed;

    private TlsHandshakeGuard(
            TransportSecurity security,
            SiloChannelHandler.Side side,
            @Nullable CompletableFuture<SiloConnection> established,
            ConnectionStats stats) {
        this.security = security;
        this.side = side;
        this.established = established;
        this.stats = stats;
    }

    /**
     * Puts TLS first in {@code pipeline}: a server handler for an accepted connection, a client
     * handler for one this side opens, with the handshake bounded by {@code handshakeTimeout}.
     */
    static void install(
            ChannelPipeline pipeline,
            TransportSecurity security,
            SiloChannelHandler.Side side,
            @Nullable CompletableFuture<SiloConnection> established,
            ConnectionStats stats,
            Duration handshakeTimeout) {
        SslHandler tls = side == SiloChannelHandler.Side.CONNECTING
                ? security.newClientHandler(pipeline.channel().alloc())
                : security.newServerHandler(pipeline.channel().alloc());
        tls.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        pipeline.addFirst("tls-guard", new TlsHandshakeGuard(security, side, established, stats));
        pipeline.addFirst("tls", tls);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                handshaken = true;
            } else if (side != SiloChannelHandler.Side.CONNECTING
                    && TlsFailures.closedBeforeHandshake(completion.cause())) {
                // A port check or a peer that gave up: nothing was refused, so nothing to count or explain.
                failed = true;
                log.debug(
                        "Connection from {} closed before its TLS handshake",
                        describe(ctx.channel().remoteAddress()));
            } else {
                fail(ctx, TlsFailures.reason(completion.cause(), security.source()), completion.cause(), true);
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failed) {
            // Explained once already; what follows is the connection closing.
            log.debug("After a TLS failure of {}: {}", describe(ctx.channel().remoteAddress()), cause.toString());
            return;
        }
        if (TlsFailures.isTls(cause)) {
            fail(ctx, TlsFailures.reason(cause, security.source()), cause, true);
        } else if (refusedAfterHandshake() && cause instanceof IOException) {
            // A reset instead of the peer's alert: the likeliest reason is still our certificate.
            fail(ctx, TlsFailures.closedAfterHandshake(security.source()), cause, false);
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!failed && refusedAfterHandshake()) {
            fail(ctx, TlsFailures.closedAfterHandshake(security.source()), null, false);
        }
        ctx.fireChannelInactive();
    }

    /**
     * On the connecting side: TLS was done but the peer never answered the cluster handshake. Not
     * counted as a TLS failure, since it may also have closed for another reason.
     */
    private boolean refusedAfterHandshake() {
        return side == SiloChannelHandler.Side.CONNECTING && handshaken && established != null && !established.isDone();
    }

    private void fail(ChannelHandlerContext ctx, String reason, @Nullable Throwable cause, boolean counted) {
        if (failed) {
            return;
        }
        failed = true;
        String peer = describe(ctx.channel().remoteAddress());
        if (counted) {
            stats.reject(Rejection.TLS_HANDSHAKE);
        }
        if (side == SiloChannelHandler.Side.CONNECTING) {
            String message = "TLS handshake with " + peer + " failed: " + reason;
            peerLog.warn(ctx.channel().remoteAddress(), "{}", message);
            if (established != null) {
                established.completeExceptionally(new TlsHandshakeException(message, cause));
            }
        } else {
            peerLog.warn(
                    ctx.channel().remoteAddress(),
                    "Refused TLS connection from {} on the {} port: {}",
                    peer,
                    side == SiloChannelHandler.Side.SILO_PORT ? "silo" : "gateway",
                    reason);
        }
        ctx.close();
    }

    private static String describe(SocketAddress address) {
        return address instanceof InetSocketAddress inet
                ? inet.getHostString() + ":" + inet.getPort()
                : String.valueOf(address);
    }
}
