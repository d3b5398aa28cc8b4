package org.orleans4j.messaging.internal;

import org.orleans4j.cluster.SiloAddress;

/**
 * Told by a silo's messaging when another silo looks gone: a connection to it was refused (nothing
 * listens on its endpoint, or another generation does), or an established connection to or from it
 * closed. Membership takes it as a reason to check that silo at once instead of at its next probe.
 * Called on a Netty event-loop thread, so it must not block.
 */
@FunctionalInterface
public interface PeerFailureListener {

    PeerFailureListener NONE = (silo, evidence) -> {};

    /**
     * @param silo the silo the connection was meant for or came from (the handshaken identity)
     * @param evidence what happened, for the log
     */
    void peerFailed(SiloAddress silo, String evidence);
}
