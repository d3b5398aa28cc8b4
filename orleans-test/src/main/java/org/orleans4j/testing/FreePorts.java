package org.orleans4j.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Free loopback TCP ports picked at run time, so tests that start silos never collide on fixed port
 * numbers. A port is only known to be free when it is picked: another process may take it before the
 * silo binds it, so bind soon after allocating.
 * <p>
 * Ports come from below the kernel's ephemeral range when it leaves room there (on Linux, read from
 * {@code /proc/sys/net/ipv4/ip_local_port_range}). A port the kernel hands out for "any port" is in the
 * ephemeral range, which outgoing connections draw from too: a silo connecting to another could take the
 * port picked for a third silo's gateway between the pick and the bind ("Address already in use").
 * Each JVM starts at a random place in the range and walks on, so runs in parallel rarely try the same ports.
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    private static final int MIN_RANGE = 2_000;
    private static final Range RANGE = Range.belowEphemeral();
    private static final AtomicInteger NEXT =
            new AtomicInteger(RANGE == null ? 0 : ThreadLocalRandom.current().nextInt(RANGE.size()));

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
        // All sockets stay open until every port is known: that is what makes the ports distinct.
        List<ServerSocket> sockets = new ArrayList<>(n);
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket socket = RANGE == null ? bind(0) : bindInRange(RANGE);
                sockets.add(socket);
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

    private static ServerSocket bindInRange(Range range) throws IOException {
        for (int attempt = 0; attempt < range.size(); attempt++) {
            int port = range.low() + Math.floorMod(NEXT.getAndIncrement(), range.size());
            try {
                return bind(port);
            } catch (BindException taken) {
                // In use (or lingering): try the next one.
            }
        }
        throw new BindException("no free loopback port in " + range.low() + ".." + (range.low() + range.size() - 1));
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            // Set before bind so that the silo can bind the port right after we release it.
            socket.setReuseAddress(true);
            // The IPv4 literal, not getLoopbackAddress(), which may be ::1 with preferIPv6Addresses.
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Ports {@code low .. low + size - 1}. */
    private record Range(int low, int size) {

        /** The ports between {@link #LOWEST} and the ephemeral range, or {@code null} if it is not known or too small. */
        static @Nullable Range belowEphemeral() {
            Path file = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
            try {
                if (!Files.isReadable(file)) {
                    return null;
                }
                String line;
                // Not Files.readString: a /proc file reports size 0, and readString then returned only its first byte.
                try (BufferedReader reader = Files.newBufferedReader(file)) {
                    line = reader.readLine();
                }
                if (line == null) {
                    return null;
                }
                String[] bounds = line.trim().split("\\s+");
                int ephemeralLow = Integer.parseInt(bounds[0]);
                return ephemeralLow - LOWEST >= MIN_RANGE ? new Range(LOWEST, ephemeralLow - LOWEST) : null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
