package org.orleans4j.messaging.internal;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;

/** Reads what a failed connection attempt says about the silo it was meant for. */
public final class ConnectFailures {

    private ConnectFailures() {}

    /**
     * Whether {@code failure} shows that the silo is not running any more: its host refused the TCP
     * connection (nothing listens on the port), or another generation of the silo answered the
     * handshake (it restarted). A timeout says nothing of the kind: the host or the path may be slow.
     */
    public static boolean nothingListens(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && !(t instanceof ConnectTimeoutException)) {
                return true;
            }
            if (t instanceof HandshakeMismatchException m && m.reason() == Handshake.Refusal.OTHER_SILO) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
