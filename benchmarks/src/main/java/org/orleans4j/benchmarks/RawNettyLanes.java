package org.orleans4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.orleans4j.testing.JvmProcess;

/**
 * What bounds the raw baseline of {@link WireSpeedBenchmarks}: its pipelined workload (one connection,
 * {@value #IN_FLIGHT} frames in flight) beside the same frames over two connections with half as many
 * in flight each, every connection on an event loop of its own on both sides. One connection's frames
 * travel as one batch, and each side's loop sleeps and is woken once per batch; with two, the loops of
 * each side find work more often and sleep less. Where waking a sleeping thread is costly (a virtual
 * machine), the difference shows how much of the one-connection figure is waiting to be woken rather
 * than moving bytes. Prints every round and the medians. Arguments: {@code rounds} (default 5),
 * {@code seconds} per workload (default 5).
 */
public final class RawNettyLanes {

    private static final int IN_FLIGHT = 64;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Duration measure = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 5);
        CrossSiloBenchmarks.printHeading("Raw Netty lanes", rounds);
        Path dir = Files.createTempDirectory("orleans-bench");
        double[] one = new double[rounds];
        double[] two = new double[rounds];
        try (JvmProcess server = JvmProcess.builder(RawNettyServer.class.getName())
                .name("raw-netty-server")
                .jvmOptions(CrossSiloBenchmarks.remoteJvmOptions())
                .logFile(dir.resolve("raw.log"))
                .build()
                .start()) {
            int port = Integer.parseInt(server.awaitLogLine(Pattern.compile("READY (\\d+)"), Duration.ofSeconds(60))
                    .group(1));
            for (int round = 0; round < rounds; round++) {
                try (RawNettyPingPong connection = new RawNettyPingPong(port)) {
                    one[round] = connection.pipelined(measure, IN_FLIGHT);
                }
                try (RawNettyPingPong first = new RawNettyPingPong(port);
                        RawNettyPingPong second = new RawNettyPingPong(port)) {
                    CompletableFuture<Double> other = CompletableFuture.supplyAsync(() -> {
                        try {
                            return second.pipelined(measure, IN_FLIGHT / 2);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    });
                    two[round] = first.pipelined(measure, IN_FLIGHT / 2) + other.join();
                }
                System.out.printf(
                        Locale.ROOT,
                        "round %d: one connection %,.0f frames/s, two connections %,.0f frames/s%n",
                        round + 1,
                        one[round],
                        two[round]);
            }
        }
        double oneMedian = LocalBenchmarks.median(one);
        double twoMedian = LocalBenchmarks.median(two);
        System.out.printf(
                Locale.ROOT,
                "MEDIAN pipelined, %d in flight: one connection %,.0f frames/s, two connections %,.0f frames/s (%.2fx)%n",
                IN_FLIGHT,
                oneMedian,
                twoMedian,
                twoMedian / oneMedian);
    }

    private RawNettyLanes() {}
}
