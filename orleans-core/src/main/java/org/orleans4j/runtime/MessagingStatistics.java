package org.orleans4j.runtime;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.orleans4j.messaging.ConnectionStats;

/**
 * What crossed this silo's messaging: messages sent to and received from other silos and clients,
 * the clients on its gateway, and what it turned away. Counters only grow, from the silo's start; reading them sums a few adders. A silo on
 * its own (no cluster messaging) reports zeros.
 */
public final class MessagingStatistics {

    /** Why a silo turned a connection or a request away. */
    public enum Rejection {
        /** A connection's handshake named another service, cluster or protocol version, or the wrong kind of peer. */
        HANDSHAKE_MISMATCH,
        /** A connection sent no handshake in time. */
        HANDSHAKE_TIMEOUT,
        /** A connection sent a frame that could not be parsed. */
        MALFORMED_FRAME,
        /** A connection sent a frame larger than the frame size limit. */
        OVERSIZED_FRAME,
        /** A connection failed its TLS handshake: no certificate, one of another CA, or no TLS at all. */
        TLS_HANDSHAKE,
        /**
         * A request from another silo found no activation here while this silo was stopping; it was
         * sent back for the caller to retry elsewhere.
         */
        SILO_STOPPING
    }

    /** Null for a silo on its own. */
    private final ConnectionStats connections;
    private final LongAdder rejectedWhileStopping = new LongAdder();
    private final IntSupplier connectedClients;
    private final LongSupplier droppedClientResponses;

    MessagingStatistics(ConnectionStats connections) {
        this(connections, () -> 0, () -> 0);
    }

    MessagingStatistics(ConnectionStats connections, IntSupplier connectedClients,
            LongSupplier droppedClientResponses) {
        this.connections = connections;
        this.connectedClients = connectedClients;
        this.droppedClientResponses = droppedClientResponses;
    }

    void requestRejectedWhileStopping() {
        rejectedWhileStopping.increment();
    }

    /** Messages written to other silos: grain calls, responses and system messages (directory, membership). */
    public long messagesSent() {
        return connections == null ? 0 : connections.messagesSent();
    }

    /** Messages read from other silos. */
    public long messagesReceived() {
        return connections == null ? 0 : connections.messagesReceived();
    }

    /** Connections or requests turned away for one reason. */
    public long rejected(Rejection reason) {
        if (reason == Rejection.SILO_STOPPING) {
            return rejectedWhileStopping.sum();
        }
        if (connections == null) {
            return 0;
        }
        return switch (reason) {
            case HANDSHAKE_MISMATCH -> connections.rejectedHandshakes();
            case HANDSHAKE_TIMEOUT -> connections.handshakeTimeouts();
            case MALFORMED_FRAME -> connections.malformedFrames();
            case OVERSIZED_FRAME -> connections.oversizedFrames();
            case TLS_HANDSHAKE -> connections.tlsFailures();
            case SILO_STOPPING -> throw new AssertionError("counted above");
        };
    }

    /** Connections from other silos whose handshake was accepted. */
    public long acceptedConnections() {
        return connections == null ? 0 : connections.accepted();
    }

    /** Connections from cluster clients to the gateway whose handshake was accepted, since the start. */
    public long acceptedClientConnections() {
        return connections == null ? 0 : connections.clientsAccepted();
    }

    /** Cluster clients connected to the gateway now. */
    public int connectedClients() {
        return connectedClients.getAsInt();
    }

    /** Responses to clients that had disconnected by the time their call completed, so were dropped. */
    public long droppedClientResponses() {
        return droppedClientResponses.getAsLong();
    }
}
