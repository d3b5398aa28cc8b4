package org.orleans4j.messaging;

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
    SILO_STOPPING,
    /** A message named a sending silo other than the connection's handshaken peer; the connection was closed. */
    FORGED_SENDER,
    /** A response matched no call sent over the connection it came on (a late one, or forged); dropped. */
    UNMATCHED_RESPONSE,
    /**
     * A system request the sender may not make: a directory entry naming another silo, the removal of
     * silos that are not Dead, statistics or notices from a silo that is not an Active member.
     */
    UNAUTHORIZED_REQUEST,
    /** A request addressed to another silo or another generation of this one: answered "unavailable", never relayed. */
    MISADDRESSED_REQUEST,
    /** A request forwarded more often than the hop limit; failed instead of relayed again. */
    HOP_LIMIT,
    /** A request whose time to live ran out before it could run; not run. */
    EXPIRED_REQUEST,
    /** A request over the connection's in-flight limit; answered at once with a transient "overloaded" failure. */
    OVERLOADED,
    /** A connection over the per-port or per-address connection limit; closed at once. */
    CONNECTION_LIMIT,
    /** A connection on which nothing arrived within the idle timeout; closed. */
    IDLE_TIMEOUT,
    /** A connection whose frame did not complete within the frame timeout; closed. */
    SLOW_FRAME,
    /** A connection whose peer stopped reading while more than the pending-write limit waited for it; closed. */
    SLOW_READER,
    /** A ping not answered because the peer was not reading the answers already sent. */
    UNANSWERED_PING,
    /** A call to an observer whose client is no longer connected to this gateway; failed at once. */
    OBSERVER_GONE,
    /**
     * A request through a later version of its grain interface than this silo has; sent back for the caller to
     * retry on a silo of a newer build, and the activation here deactivated.
     */
    INCOMPATIBLE_VERSION
}
