package org.orleans4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free loopback TCP ports picked at run time, so tests that start silos never collide on fixed port
 * numbers. A port is only known to be free when it is picked: another process may take it before the
 * silo binds it, so bind soon after allocating.
 */
public final class FreePorts {

    private FreePorts() {}

    /**
     * {@code n} distinct ports that were free on 127.0.0.1 at the time of the call.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws UncheckedIOException if the ports cannot be bound
     */
    public static int[] allocate(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        // All sockets stay open until every port is known: that is what makes the ports distinct
        // (the kernel never hands out a port that is still bound).
        List<ServerSocket> sockets = new ArrayList<>(n);
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                // Set before bind so that the silo can bind the port right after we release it.
                socket.setReuseAddress(true);
                // The IPv4 literal, not getLoopbackAddress(), which may be ::1 with preferIPv6Addresses.
                socket.bind(new InetSocketAddress("127.0.0.1", 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("could not allocate " + n + " free loopback ports", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Closing a socket that only listened cannot lose anything worth reporting.
                }
            }
        }
    }
}
