package org.orleans4j.messaging.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.messaging.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An established, authenticated connection to another silo of the cluster, or between a cluster
 * client and a silo's gateway (on the gateway side {@link #isClient()} is true).
 */
public final class SiloConnection {

    private static final Logger log = LoggerFactory.getLogger(SiloConnection.class);

    public static final byte PING = 1;
    static final byte PONG = 2;
    public static final byte MESSAGE = 3;
    /**
     * This side is closing the connection: the peer sends no new calls over it (calls already sent are
     * still answered) and acknowledges with {@link #GOING_AWAY_ACK}.
     */
    static final byte GOING_AWAY = 4;
    /** After {@link #GOING_AWAY}: every call this side wrote on the connection precedes this frame; none follows. */
    static final byte GOING_AWAY_ACK = 5;

    private final Channel channel;
    private final SiloAddress peer;
    private final boolean client;
    private volatile Runnable goingAwayListener = () -> {};
    private final ConnectionStats stats;
    private final AtomicLong correlation = new AtomicLong();
    private final ConcurrentHashMap<Long, PendingPing> pings = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Hands the drain to the event loop, without waking it while it lingers. */
    private final Executor handOff;

    private final long maxPendingWriteBytes;
    /** What this side has told the peer by number (version 5 on), written on the event loop only. */
    private final FieldDictionary.@Nullable Writer outgoingFields;
    /** What the peer has told this side by number (version 5 on), read on the event loop only. */
    private final FieldDictionary.@Nullable Reader incomingFields;
    /** Whether responses go short both ways (version 6 on): a response no longer names the grain it answers. */
    private final boolean shortResponses;
    /** Requests received over this connection and not yet answered: bounded per connection. */
    private final AtomicInteger inflightRequests = new AtomicInteger();
    /** Either side said it is going away: calls are no longer written here (responses still are). */
    private volatile boolean closing;
    /** This side sent {@link #GOING_AWAY} (set on the event loop). */
    private volatile boolean goingAwaySent;
    /** The peer acknowledged our {@link #GOING_AWAY}: it writes no more calls here. */
    private volatile boolean peerStoppedCalling;

    private record PendingPing(long startNanos, CompletableFuture<Duration> result) {}

    SiloConnection(
            Channel channel,
            SiloAddress peer,
            ConnectionStats stats,
            boolean client,
            long maxPendingWriteBytes,
            int protocolVersion,
            LingeringEventLoops loops) {
        this.channel = channel;
        this.handOff = loops.handOff(channel.eventLoop());
        boolean dictionaries = protocolVersion >= Handshake.FIRST_DICTIONARY_VERSION;
        this.outgoingFields = dictionaries ? new FieldDictionary.Writer() : null;
        this.incomingFields = dictionaries ? new FieldDictionary.Reader() : null;
        this.shortResponses = protocolVersion >= Handshake.FIRST_SHORT_RESPONSE_VERSION;
        this.peer = peer;
        this.stats = stats;
        this.client = client;
        this.maxPendingWriteBytes = maxPendingWriteBytes;
        channel.closeFuture().addListener(f -> {
            failPending();
            // Never written: the peer cannot have seen them.
            failQueued(new CallNotDeliveredException("Connection to " + peer + " closed"));
        });
    }

    public SiloAddress peer() {
        return peer;
    }

    /** On the event loop: reads a message frame the peer sent over this connection. */
    Message decode(ByteBuf frame) {
        return MessageCodec.decode(frame, incomingFields, shortResponses);
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Whether the peer is a cluster client that connected to this silo's gateway (its address is a pseudo address). */
    public boolean isClient() {
        return client;
    }

    /**
     * Tells the peer that this side is going away: it should send new calls elsewhere, while the calls
     * already sent here are still answered until the connection closes. From now on this side writes
     * no new calls here either. Sent once; the peer's acknowledgement makes {@link #drained} possible.
     */
    public void sendGoingAway() {
        inEventLoop(() -> {
            if (goingAwaySent || !channel.isActive()) {
                return;
            }
            goingAwaySent = true;
            closing = true;
            drain();
            channel.writeAndFlush(Frames.end(Frames.newFrame(channel.alloc(), 1).writeByte(GOING_AWAY)));
        });
    }

    /** Runs {@code listener} on the event loop when the peer says it is going away. */
    public void onGoingAway(Runnable listener) {
        this.goingAwayListener = listener;
    }

    /**
     * On the event loop: the peer is going away. The calls queued so far are written, then the
     * acknowledgement, after which no call is written here: a call the peer reads before our
     * acknowledgement is one it answers, and none comes after it.
     */
    void goingAwayReceived() {
        closing = true;
        drain();
        channel.writeAndFlush(Frames.end(Frames.newFrame(channel.alloc(), 1).writeByte(GOING_AWAY_ACK)));
        goingAwayListener.run();
    }

    /** On the event loop: the peer acknowledged our {@link #GOING_AWAY}. */
    void goingAwayAcknowledged() {
        if (!goingAwaySent) {
            throw new ProtocolException("going-away acknowledged, but none was sent");
        }
        peerStoppedCalling = true;
    }

    /**
     * Whether this connection can close without losing an answer: it is closed already, or the peer
     * acknowledged our going-away notice (no call of its follows) and every call it sent is answered.
     */
    public boolean drained() {
        return !channel.isActive() || (peerStoppedCalling && inflightRequests.get() == 0);
    }

    /** Closes once everything queued so far is written; completes when closed. */
    CompletableFuture<Void> closeAfterWrites() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> closed.complete(null));
        inEventLoop(() -> {
            drain();
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        });
        return closed;
    }

    private void inEventLoop(Runnable action) {
        if (channel.eventLoop().inEventLoop()) {
            action.run();
            return;
        }
        try {
            channel.eventLoop().execute(action);
        } catch (RejectedExecutionException stopping) {
            channel.close();
        }
    }

    /**
     * Counts a request received over this connection; {@code false} (and nothing counted) when
     * {@code limit} requests are already waiting for their answers, so the caller answers "overloaded".
     */
    public boolean tryAcceptRequest(int limit) {
        while (true) {
            int current = inflightRequests.get();
            if (current >= limit) {
                return false;
            }
            if (inflightRequests.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** A request counted by {@link #tryAcceptRequest} was answered (or dropped). */
    public void requestDone() {
        inflightRequests.decrementAndGet();
    }

    /** Requests received over this connection that are not answered yet. */
    public int inflightRequests() {
        return inflightRequests.get();
    }

    /** Pings the peer so that its idle timer sees traffic; a missing answer is the peer's idle timer's business. */
    void keepAlive(Duration timeout) {
        ping(timeout).exceptionally(failure -> null);
    }

    /**
     * Round trip to the peer's messaging layer: the probe of the membership protocol. Fails with
     * {@link SiloUnavailableException} if the connection closes or no answer comes within {@code timeout}.
     */
    public CompletableFuture<Duration> ping(Duration timeout) {
        long id = correlation.incrementAndGet();
        CompletableFuture<Duration> result = new CompletableFuture<>();
        pings.put(id, new PendingPing(System.nanoTime(), result));
        ByteBuf frame =
                Frames.end(Frames.newFrame(channel.alloc(), 9).writeByte(PING).writeLong(id));
        channel.writeAndFlush(frame).addListener(f -> {
            if (!f.isSuccess()) {
                complete(id, new SiloUnavailableException("Could not send a ping to " + peer, f.cause()));
            }
        });
        checkBacklog();
        channel.eventLoop()
                .schedule(
                        () -> complete(
                                id,
                                new SiloUnavailableException(
                                        "No answer to a ping from " + peer + " within " + timeout)),
                        timeout.toNanos(),
                        TimeUnit.NANOSECONDS);
        return result;
    }

    /**
     * Sends a message; completes once it is written, or fails with {@link SiloUnavailableException}
     * when the connection is closed.
     */
    public CompletableFuture<Void> send(Message message) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        enqueue(new Outgoing(message, sent::completeExceptionally, sent));
        return sent;
    }

    /**
     * Sends without a future per message (the hot path of grain calls); {@code onFailure} runs on the
     * event loop if the message could not be encoded or written.
     */
    public void post(Message message, Consumer<Throwable> onFailure) {
        enqueue(new Outgoing(message, onFailure, null));
    }

    private void enqueue(Outgoing outgoing) {
        outbox.offer(outgoing);
        if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true)) {
            try {
                handOff.execute(this::drain);
            } catch (RejectedExecutionException closing) {
                drainScheduled.set(false);
                failQueued(new CallNotDeliveredException("Connection to " + peer + " is closing"));
            }
        }
    }

    /** A message waiting for the next drain; {@code sent} is completed on success when present. */
    private record Outgoing(
            Message message,
            Consumer<Throwable> onFailure,
            @Nullable CompletableFuture<Void> sent) {}

    private static final int BATCH_BYTES = 64 * 1024;

    /**
     * On the event loop: everything posted since the last drain goes out as frames in one buffer,
     * one write and one flush, instead of a task, a write and a flush per message.
     */
    private void drain() {
        drainScheduled.set(false);
        @Nullable ByteBuf batch = null;
        List<Outgoing> written = new ArrayList<>();
        Outgoing next;
        while ((next = outbox.poll()) != null) {
            if (batch == null) {
                batch = channel.alloc().buffer(4096);
            }
            if (closing && next.message().direction() != Message.Direction.RESPONSE) {
                next.onFailure()
                        .accept(new CallNotDeliveredException(
                                "Connection to " + peer + " is closing (going away); the call was not sent"));
                continue;
            }
            int start = Frames.begin(batch);
            try {
                batch.writeByte(MESSAGE);
                MessageCodec.encode(next.message(), batch, outgoingFields, shortResponses);
                Frames.end(batch, start);
                written.add(next);
            } catch (RuntimeException e) {
                batch.writerIndex(start);
                next.onFailure().accept(e);
            }
            if (batch.readableBytes() >= BATCH_BYTES) {
                write(batch, written);
                batch = null;
                written = new ArrayList<>();
            }
        }
        if (batch != null) {
            if (batch.isReadable()) {
                write(batch, written);
            } else {
                batch.release();
            }
        }
    }

    private void write(ByteBuf batch, List<Outgoing> written) {
        ChannelFuture future = channel.writeAndFlush(batch);
        checkBacklog();
        future.addListener(f -> {
            if (f.isSuccess()) {
                // One add per batch, not one per message: the count is bumped where the batch is written.
                stats.messagesSent.add(written.size());
                for (Outgoing item : written) {
                    if (item.sent() != null) {
                        item.sent().complete(null);
                    }
                }
            } else {
                // Part of the batch may have reached the peer: its calls may run there.
                SiloUnavailableException failure = new SiloUnavailableException("Could not send to " + peer, f.cause());
                written.forEach(item -> item.onFailure().accept(failure));
            }
        });
    }

    /**
     * Closes the connection when the peer leaves more than the limit unread: writes would otherwise
     * pile up in this process for a peer that never takes them.
     */
    private void checkBacklog() {
        ChannelOutboundBuffer backlog = channel.unsafe().outboundBuffer();
        if (backlog != null && backlog.totalPendingWriteBytes() > maxPendingWriteBytes && channel.isOpen()) {
            stats.reject(Rejection.SLOW_READER);
            log.warn("Closing {}: the peer left more than {} bytes unread", this, maxPendingWriteBytes);
            channel.close();
        }
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
