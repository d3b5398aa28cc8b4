package org.orleans4j.messaging;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a silo's connections (from other silos and, on the gateway port, from clients), including the ones it closed because of bad input, and of the
 * messages that crossed them. LongAdders: the message counters are bumped on every event-loop
 * thread at once, and an adder does not make them contend on one cache line.
 */
public final class ConnectionStats {

    final LongAdder accepted = new LongAdder();
    final LongAdder clientsAccepted = new LongAdder();
    final LongAdder messagesSent = new LongAdder();
    final LongAdder messagesReceived = new LongAdder();
    final LongAdder rejectedHandshakes = new LongAdder();
    final LongAdder malformedFrames = new LongAdder();
    final LongAdder oversizedFrames = new LongAdder();
    final LongAdder handshakeTimeouts = new LongAdder();
    final LongAdder tlsFailures = new LongAdder();

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
     * version, or a peer of the wrong kind (a client on the silo port, a silo on the gateway port).
     */
    public long rejectedHandshakes() {
        return rejectedHandshakes.sum();
    }

    /** Connections closed because a frame could not be parsed. */
    public long malformedFrames() {
        return malformedFrames.sum();
    }

    /** Connections closed because a frame exceeded the frame size limit. */
    public long oversizedFrames() {
        return oversizedFrames.sum();
    }

    /** Connections closed because no handshake arrived in time. */
    public long handshakeTimeouts() {
        return handshakeTimeouts.sum();
    }

    /**
     * Connections closed because their TLS handshake failed: a certificate not signed by the trusted
     * CA, none at all, or a peer without TLS.
     */
    public long tlsFailures() {
        return tlsFailures.sum();
    }

    /** Every connection closed because of bad input. */
    public long badInput() {
        return rejectedHandshakes() + malformedFrames() + oversizedFrames() + handshakeTimeouts() + tlsFailures();
    }
}
