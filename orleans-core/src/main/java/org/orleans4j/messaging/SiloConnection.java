package org.orleans4j.messaging;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
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
    private final ConcurrentLinkedQueue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    private record PendingPing(long startNanos, CompletableFuture<Duration> result) {
    }

    SiloConnection(Channel channel, SiloAddress peer) {
        this.channel = channel;
        this.peer = peer;
        channel.closeFuture().addListener(f -> {
            failPending();
            failQueued(new SiloUnavailableException("Connection to " + peer + " closed"));
        });
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
        ByteBuf frame = Frames.end(Frames.newFrame(channel.alloc(), 9).writeByte(PING).writeLong(id));
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
        ByteBuf frame = Frames.newFrame(channel.alloc(), 128 + message.body().length).writeByte(MESSAGE);
        try {
            MessageCodec.encode(message, frame);
            Frames.end(frame);
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
    public void post(Message message, Consumer<Throwable> onFailure) {
        outbox.offer(new Outgoing(message, onFailure));
        if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::drain);
            } catch (RejectedExecutionException closing) {
                drainScheduled.set(false);
                failQueued(new SiloUnavailableException("Connection to " + peer + " is closing"));
            }
        }
    }

    private record Outgoing(Message message, Consumer<Throwable> onFailure) {
    }

    private static final int BATCH_BYTES = 64 * 1024;

    /**
     * On the event loop: everything posted since the last drain goes out as frames in one buffer,
     * one write and one flush, instead of a task, a write and a flush per message.
     */
    private void drain() {
        drainScheduled.set(false);
        ByteBuf batch = null;
        List<Consumer<Throwable>> callbacks = new ArrayList<>();
        Outgoing next;
        while ((next = outbox.poll()) != null) {
            if (batch == null) {
                batch = channel.alloc().buffer(4096);
            }
            int start = Frames.begin(batch);
            try {
                batch.writeByte(MESSAGE);
                MessageCodec.encode(next.message(), batch);
                Frames.end(batch, start);
                callbacks.add(next.onFailure());
            } catch (RuntimeException e) {
                batch.writerIndex(start);
                next.onFailure().accept(e);
            }
            if (batch.readableBytes() >= BATCH_BYTES) {
                write(batch, callbacks);
                batch = null;
                callbacks = new ArrayList<>();
            }
        }
        if (batch != null) {
            if (batch.isReadable()) {
                write(batch, callbacks);
            } else {
                batch.release();
            }
        }
    }

    private void write(ByteBuf batch, List<Consumer<Throwable>> callbacks) {
        channel.writeAndFlush(batch).addListener(f -> {
            if (!f.isSuccess()) {
                SiloUnavailableException failure = new SiloUnavailableException("Could not send to " + peer, f.cause());
                callbacks.forEach(callback -> callback.accept(failure));
            }
        });
    }

    private void failQueued(Throwable failure) {
        Outgoing next;
        while ((next = outbox.poll()) != null) {
            next.onFailure().accept(failure);
        }
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
