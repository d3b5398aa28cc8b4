package org.orleans4j.messaging.internal;

/**
 * A peer speaks no protocol version this side does: silos (or a client) of releases too far apart. The
 * message names both ranges.
 */
public final class UnsupportedVersionException extends ProtocolException {

    UnsupportedVersionException(int peerMin, int peerMax, int localMin, int localMax) {
        super("peer speaks protocol versions " + range(peerMin, peerMax) + ", this side "
                + range(localMin, localMax) + ": the two builds cannot talk; upgrade through a release that speaks"
                + " both (a rolling upgrade may skip no release that changed the protocol)");
    }

    private static String range(int min, int max) {
        return min == max ? String.valueOf(max) : min + " to " + max;
    }
}
