package org.orleans4j.messaging;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.runtime.SiloAddress;

/** An established, authenticated connection to another silo of the cluster. */
public final class SiloConnection {

    static final byte PING = 1;
    static final byte PONG = 2;
    static final byte MESSAGE = 3;

    private final Channel channel;
    private final SiloAddress peer;
    private final AtomicLong correlation = new AtomicLong();
    private final ConcurrentHashMap<Long, PendingPing> pings = new ConcurrentHashMap<>();

    private record PendingPing(long startNanos, CompletableFuture<Duration> result) {
    }

    SiloConnection(Channel channel, SiloAddress peer) {
        this.channel = channel;
        this.peer = peer;
        channel.closeFuture().addListener(f -> failPending());
    }

    public SiloAddress peer() {
        return peer;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * Round trip to the peer's messaging layer: the probe of the membership protocol. Fails with
     * {@link SiloUnavailableException} if the connection closes or no answer comes within {@code timeout}.
     */
    public CompletableFuture<Duration> ping(Duration timeout) {
        long id = correlation.incrementAndGet();
        CompletableFuture<Duration> result = new CompletableFuture<>();
        pings.put(id, new PendingPing(System.nanoTime(), result));
        ByteBuf frame = channel.alloc().buffer(9).writeByte(PING).writeLong(id);
        channel.writeAndFlush(frame).addListener(f -> {
            if (!f.isSuccess()) {
                complete(id, new SiloUnavailableException("Could not send a ping to " + peer, f.cause()));
            }
        });
        channel.eventLoop().schedule(() -> complete(id,
                new SiloUnavailableException("No answer to a ping from " + peer + " within " + timeout)),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        return result;
    }

    /**
     * Sends a message; writes made in one event-loop pass go out in one flush. Fails with
     * {@link SiloUnavailableException} when the connection is closed.
     */
    public CompletableFuture<Void> send(Message message) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        ByteBuf frame = channel.alloc().buffer(128 + message.body().length).writeByte(MESSAGE);
        try {
            MessageCodec.encode(message, frame);
        } catch (RuntimeException e) {
            frame.release();
            sent.completeExceptionally(e);
            return sent;
        }
        channel.writeAndFlush(frame).addListener(f -> {
            if (f.isSuccess()) {
                sent.complete(null);
            } else {
                sent.completeExceptionally(new SiloUnavailableException("Could not send to " + peer, f.cause()));
            }
        });
        return sent;
    }

    /**
     * Sends without a future per message (the hot path of grain calls); {@code onFailure} runs on the
     * event loop if the message could not be encoded or written.
     */
    public void post(Message message, java.util.function.Consumer<Throwable> onFailure) {
        ByteBuf frame = channel.alloc().buffer(128 + message.body().length).writeByte(MESSAGE);
        try {
            MessageCodec.encode(message, frame);
        } catch (RuntimeException e) {
            frame.release();
            onFailure.accept(e);
            return;
        }
        channel.writeAndFlush(frame).addListener(f -> {
            if (!f.isSuccess()) {
                onFailure.accept(new SiloUnavailableException("Could not send to " + peer, f.cause()));
            }
        });
    }

    /** Runs {@code action} once the connection is closed (at once if it already is). */
    public void onClose(Runnable action) {
        channel.closeFuture().addListener(f -> action.run());
    }

    void onPong(long id) {
        PendingPing pending = pings.remove(id);
        if (pending != null) {
            pending.result().complete(Duration.ofNanos(System.nanoTime() - pending.startNanos()));
        }
    }

    private void complete(long id, Throwable failure) {
        PendingPing pending = pings.remove(id);
        if (pending != null) {
            pending.result().completeExceptionally(failure);
        }
    }

    private void failPending() {
        for (Long id : pings.keySet()) {
            complete(id, new SiloUnavailableException("Connection to " + peer + " closed"));
        }
    }

    public CompletableFuture<Void> close() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.close().addListener(f -> closed.complete(null));
        return closed;
    }

    @Override
    public String toString() {
        return "connection to " + peer + " (" + channel.remoteAddress() + ")";
    }
}
