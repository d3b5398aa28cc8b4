package org.orleans4j.testing;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link JvmProcessTest}: stands in for a silo. Arguments: a mode and a port.
 *
 * <ul>
 *   <li>{@code block}: binds the port, prints {@code READY port=<n>}, then waits forever.</li>
 *   <li>{@code hook}: the same, with a shutdown hook that prints {@code STOPPING} (runs on SIGTERM, not SIGKILL).</li>
 *   <li>{@code stuck-hook}: a shutdown hook that prints {@code STOPPING} and never returns, so SIGTERM cannot end it.</li>
 *   <li>{@code fail}: prints {@code FAILING} and exits with code 3 before ever being ready.</li>
 * </ul>
 */
public final class TestSiloMain {

    private TestSiloMain() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        System.out.println(
                "CONFIG prop=" + System.getProperty("harness.prop") + " env=" + System.getenv("HARNESS_ENV"));
        if (mode.equals("fail")) {
            System.out.println("FAILING");
            System.out.flush();
            System.exit(3);
        }
        if (mode.equals("hook") || mode.equals("stuck-hook")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("STOPPING");
                System.out.flush();
                if (mode.equals("stuck-hook")) {
                    awaitForever();
                }
            }));
        }
        // Bound for real, so the test knows the port FreePorts handed out was usable by another process.
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])));
            System.out.println("READY port=" + socket.getLocalPort());
            System.out.flush();
            awaitForever();
        }
    }

    private static void awaitForever() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
