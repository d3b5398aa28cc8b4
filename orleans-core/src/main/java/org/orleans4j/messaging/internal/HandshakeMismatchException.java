package org.orleans4j.messaging.internal;

/**
 * A connection was refused at the handshake: the other side named another service or cluster, is
 * another generation of the silo that was meant, or is not what this side expects (a client on a
 * silo port, a silo where a gateway was expected). The side that refused tells only why, never its
 * own ids, so the message says what this side presented and what to check.
 */
public final class HandshakeMismatchException extends ProtocolException {

    private final Handshake local;
    private final Handshake.Refusal reason;

    HandshakeMismatchException(String message, Handshake local, Handshake.Refusal reason) {
        super(message);
        this.local = local;
        this.reason = reason;
    }

    /** What this side presented. */
    public Handshake local() {
        return local;
    }

    /** Why the connection was refused. */
    public Handshake.Refusal reason() {
        return reason;
    }

    /** Whether the service id or cluster id differs (rather than the role or the generation). */
    public boolean clusterDiffers() {
        return reason == Handshake.Refusal.OTHER_CLUSTER;
    }
}
