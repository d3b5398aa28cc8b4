package org.orleans4j.runtime;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.orleans4j.messaging.Rejection;
import org.orleans4j.messaging.internal.ConnectionStats;

/**
 * What crossed this silo's messaging: messages sent to and received from other silos and clients,
 * the clients on its gateway, and what it turned away. Counters only grow, from the silo's start; reading them sums a few adders. A silo on
 * its own (no cluster messaging) reports zeros.
 */
public final class MessagingStatistics {

    /** Null for a silo on its own. */
    private final @Nullable ConnectionStats connections;

    private final IntSupplier connectedClients;
    private final LongSupplier droppedClientResponses;

    MessagingStatistics(@Nullable ConnectionStats connections) {
        this(connections, () -> 0, () -> 0);
    }

    MessagingStatistics(
            @Nullable ConnectionStats connections, IntSupplier connectedClients, LongSupplier droppedClientResponses) {
        this.connections = connections;
        this.connectedClients = connectedClients;
        this.droppedClientResponses = droppedClientResponses;
    }

    void requestRejectedWhileStopping() {
        if (connections != null) {
            connections.reject(Rejection.SILO_STOPPING);
        }
    }

    /** Messages written to other silos: grain calls, responses and system messages (directory, membership). */
    public long messagesSent() {
        return connections == null ? 0 : connections.messagesSent();
    }

    /** Messages read from other silos. */
    public long messagesReceived() {
        return connections == null ? 0 : connections.messagesReceived();
    }

    /** Connections, messages or requests turned away for one reason. */
    public long rejected(Rejection reason) {
        return connections == null ? 0 : connections.rejected(reason);
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
