package org.orleans4j.messaging;

import java.time.Duration;
import org.orleans4j.internal.OptionChecks;

/**
 * Grain call and connection options, including the bounds that keep one peer (a silo, a client, or
 * whoever reaches the ports) from taking more than its share of a silo's memory and threads.
 *
 * @param responseTimeout how long a caller waits for a response (30 s); also the time to live of a
 *        request on the wire: a request still queued when it expires is not run
 * @param maxFrameBytes largest frame a connection accepts; a bigger one closes that connection (16 MiB)
 * @param handshakeTimeout how long a new connection may take to present its handshake (5 s)
 * @param idleTimeout a connection on which nothing arrived for this long is closed (90 s); both ends send a
 *        keep-alive ping after a third of it without writing, so only a dead or silent peer is cut off
 * @param frameTimeout how long one frame may take to arrive once its first bytes did (30 s); a peer
 *        trickling a large frame byte by byte is cut off
 * @param maxInflightRequests requests a connection may have waiting to be answered on this silo (10,000);
 *        beyond that new ones are answered at once with a transient "overloaded" failure, which the caller
 *        retries with backoff
 * @param maxPendingWriteBytes bytes written to a connection but not yet taken by the peer (64 MiB); a peer
 *        that stops reading past this is disconnected
 * @param maxConnections connections one port (silo or gateway) accepts at once (4,096)
 * @param maxConnectionsPerAddress connections one remote IP address may hold open to one port (256)
 * @param maxObjectDepth nesting depth of a serialized argument, result or state object (64)
 * @param maxElements elements of collections, maps and arrays in one serialized message, all together (1,048,576)
 * @param eventLoopLinger how long an event loop stays awake, polling its connections and yielding its core,
 *        after its last work before it blocks (100 µs; zero blocks at once, at most 1 ms). The next work of a loop
 *        that just handed a call to a turn, or an answer to its caller, is usually microseconds away, and
 *        handing work to a blocked loop costs a wake-up: on virtual machines, tens of microseconds of every
 *        call between silos. Each loop shortens its linger when its lingers go unrewarded, so sparse traffic
 *        costs no spinning; a silo whose CPU quota matters more than its latency can set zero
 */
public record MessagingOptions(
        Duration responseTimeout,
        int maxFrameBytes,
        Duration handshakeTimeout,
        Duration idleTimeout,
        Duration frameTimeout,
        int maxInflightRequests,
        long maxPendingWriteBytes,
        int maxConnections,
        int maxConnectionsPerAddress,
        int maxObjectDepth,
        int maxElements,
        Duration eventLoopLinger) {

    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(90);
    public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_INFLIGHT_REQUESTS = 10_000;
    public static final long DEFAULT_MAX_PENDING_WRITE_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
    public static final int DEFAULT_MAX_OBJECT_DEPTH = 64;
    public static final int DEFAULT_MAX_ELEMENTS = 1 << 20;
    public static final Duration DEFAULT_EVENT_LOOP_LINGER = Duration.ofNanos(100_000);
    /** Longer lingers burn a core for gaps that a wake-up serves as well. */
    public static final Duration MAX_EVENT_LOOP_LINGER = Duration.ofMillis(1);

    public static final MessagingOptions DEFAULT = new MessagingOptions(Duration.ofSeconds(30));

    public MessagingOptions {
        OptionChecks.requirePositive(responseTimeout, "responseTimeout");
        OptionChecks.requirePositive(handshakeTimeout, "handshakeTimeout");
        OptionChecks.requirePositive(idleTimeout, "idleTimeout");
        OptionChecks.requirePositive(frameTimeout, "frameTimeout");
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 1024, was " + maxFrameBytes);
        }
        if (idleTimeout.toMillis() < 300) {
            throw new IllegalArgumentException("idleTimeout must be at least 300 ms, was " + idleTimeout);
        }
        requireAtLeast(maxInflightRequests, 1, "maxInflightRequests");
        requireAtLeast(maxConnections, 1, "maxConnections");
        requireAtLeast(maxConnectionsPerAddress, 1, "maxConnectionsPerAddress");
        requireAtLeast(maxObjectDepth, 4, "maxObjectDepth");
        requireAtLeast(maxElements, 1, "maxElements");
        if (eventLoopLinger == null
                || eventLoopLinger.isNegative()
                || eventLoopLinger.compareTo(MAX_EVENT_LOOP_LINGER) > 0) {
            throw new IllegalArgumentException(
                    "eventLoopLinger must be between 0 and " + MAX_EVENT_LOOP_LINGER + ", was " + eventLoopLinger);
        }
        if (maxPendingWriteBytes < maxFrameBytes) {
            throw new IllegalArgumentException("maxPendingWriteBytes (" + maxPendingWriteBytes
                    + ") must be at least maxFrameBytes (" + maxFrameBytes + ")");
        }
    }

    public MessagingOptions(Duration responseTimeout) {
        this(responseTimeout, DEFAULT_MAX_FRAME_BYTES, Duration.ofSeconds(5));
    }

    public MessagingOptions(Duration responseTimeout, int maxFrameBytes, Duration handshakeTimeout) {
        this(
                responseTimeout,
                maxFrameBytes,
                handshakeTimeout,
                DEFAULT_IDLE_TIMEOUT,
                DEFAULT_FRAME_TIMEOUT,
                DEFAULT_MAX_INFLIGHT_REQUESTS,
                Math.max(DEFAULT_MAX_PENDING_WRITE_BYTES, maxFrameBytes),
                DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
                DEFAULT_MAX_OBJECT_DEPTH,
                DEFAULT_MAX_ELEMENTS,
                DEFAULT_EVENT_LOOP_LINGER);
    }

    /** These options with other connection bounds (tests use small ones). */
    public MessagingOptions withConnectionLimits(
            Duration newIdleTimeout,
            Duration newFrameTimeout,
            int newMaxInflightRequests,
            long newMaxPendingWriteBytes,
            int newMaxConnections,
            int newMaxConnectionsPerAddress) {
        return new MessagingOptions(
                responseTimeout,
                maxFrameBytes,
                handshakeTimeout,
                newIdleTimeout,
                newFrameTimeout,
                newMaxInflightRequests,
                newMaxPendingWriteBytes,
                newMaxConnections,
                newMaxConnectionsPerAddress,
                maxObjectDepth,
                maxElements,
                eventLoopLinger);
    }

    /** These options with another {@linkplain #eventLoopLinger() event-loop linger}. */
    public MessagingOptions withEventLoopLinger(Duration newEventLoopLinger) {
        return new MessagingOptions(
                responseTimeout,
                maxFrameBytes,
                handshakeTimeout,
                idleTimeout,
                frameTimeout,
                maxInflightRequests,
                maxPendingWriteBytes,
                maxConnections,
                maxConnectionsPerAddress,
                maxObjectDepth,
                maxElements,
                newEventLoopLinger);
    }

    /** How often a connection with nothing to send pings its peer: a third of the idle timeout. */
    public Duration keepAliveInterval() {
        return idleTimeout.dividedBy(3);
    }

    private static void requireAtLeast(long value, long minimum, String name) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", was " + value);
        }
    }
}
