package org.orleans4j.messaging;

/**
 * The peer's handshake parsed but names another service or cluster, or the peer is not what this
 * side expects (a client on a silo port, a silo where a gateway was expected). Carries both
 * handshakes so that the side that opened the connection can say exactly what differs.
 */
public final class HandshakeMismatchException extends ProtocolException {

    private final Handshake local;
    private final Handshake peer;

    HandshakeMismatchException(String message, Handshake local, Handshake peer) {
        super(message);
        this.local = local;
        this.peer = peer;
    }

    /** What this side presented. */
    public Handshake local() {
        return local;
    }

    /** What the other side presented. */
    public Handshake peer() {
        return peer;
    }

    /** Whether the service id or cluster id differs (rather than the role). */
    public boolean clusterDiffers() {
        return !local.sameClusterAs(peer);
    }
}
