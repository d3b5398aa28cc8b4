package org.orleans4j.messaging.internal;

import java.util.concurrent.atomic.LongAdder;
import org.orleans4j.messaging.Rejection;

/**
 * Counters of a silo's connections (from other silos and, on the gateway port, from clients), of the
 * messages that crossed them, and of everything turned away, by reason. LongAdders: the message
 * counters are bumped on every event-loop thread at once, and an adder does not make them contend
 * on one cache line.
 */
public final class ConnectionStats {

    final LongAdder accepted = new LongAdder();
    final LongAdder clientsAccepted = new LongAdder();
    final LongAdder messagesSent = new LongAdder();
    final LongAdder messagesReceived = new LongAdder();
    private final LongAdder[] rejected = new LongAdder[Rejection.values().length];

    public ConnectionStats() {
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = new LongAdder();
        }
    }

    /** Counts one connection, message or request turned away for {@code reason}. */
    public void reject(Rejection reason) {
        rejected[reason.ordinal()].increment();
    }

    /** Connections, messages or requests turned away for {@code reason}. */
    public long rejected(Rejection reason) {
        return rejected[reason.ordinal()].sum();
    }

    /** Connections whose handshake named this cluster. */
    public long accepted() {
        return accepted.sum();
    }

    /** Connections from cluster clients to the gateway whose handshake named this cluster. */
    public long clientsAccepted() {
        return clientsAccepted.sum();
    }

    /**
     * Messages written to other silos and to clients (grain calls, responses, system messages such
     * as directory and membership traffic); probes are not messages and are not counted.
     */
    public long messagesSent() {
        return messagesSent.sum();
    }

    /** Messages read from other silos and from clients, counted before they are handled. */
    public long messagesReceived() {
        return messagesReceived.sum();
    }

    /**
     * Connections closed because the handshake named another service or cluster, another protocol
     * version, another generation of this silo, or a peer of the wrong kind.
     */
    public long rejectedHandshakes() {
        return rejected(Rejection.HANDSHAKE_MISMATCH);
    }

    /** Connections closed because a frame could not be parsed. */
    public long malformedFrames() {
        return rejected(Rejection.MALFORMED_FRAME);
    }

    /** Connections closed because a frame exceeded the frame size limit. */
    public long oversizedFrames() {
        return rejected(Rejection.OVERSIZED_FRAME);
    }

    /** Connections closed because no handshake arrived in time. */
    public long handshakeTimeouts() {
        return rejected(Rejection.HANDSHAKE_TIMEOUT);
    }

    /**
     * Connections closed because their TLS handshake failed: a certificate not signed by the trusted
     * CA, none at all, or a peer without TLS.
     */
    public long tlsFailures() {
        return rejected(Rejection.TLS_HANDSHAKE);
    }

    /** Every connection closed because of bad input before or at the frame level (TLS included). */
    public long badInput() {
        return rejectedHandshakes() + malformedFrames() + oversizedFrames() + handshakeTimeouts() + tlsFailures();
    }
}
