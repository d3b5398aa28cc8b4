package org.orleans4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

// A safety net only: every wait below is bounded on its own.
@Timeout(120)
class JvmProcessTest {

    private static final Pattern READY = Pattern.compile("READY port=(\\d+)");
    private static final Pattern STOPPING = Pattern.compile("^STOPPING$");
    private static final Duration START = Duration.ofSeconds(60);

    /** What Linux reports for a process ended by a signal: 128 + the signal number. */
    private static final int SIGKILL_EXIT = 128 + 9;
    /** The JVM handles SIGTERM itself: it runs the shutdown hooks, then exits with 128 + 15. */
    private static final int SIGTERM_EXIT = 128 + 15;

    @TempDir
    Path dir;

    private JvmProcess.Builder silo(String mode, String name) {
        int port = FreePorts.allocate(1)[0];
        return JvmProcess.builder(TestSiloMain.class.getName())
                .name(name)
                // Small and quick to start: the child only prints and waits.
                .jvmOptions("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
                .args(mode, String.valueOf(port))
                .logFile(dir.resolve(name + ".log"));
    }

    private static boolean osProcessAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void startsAJvmAndWaitsForItsReadyLine() throws IOException {
        int port = FreePorts.allocate(1)[0];
        try (JvmProcess process = JvmProcess.builder(TestSiloMain.class.getName())
                .name("silo-ready")
                .jvmOptions("-Dharness.prop=from-option")
                .args("block", String.valueOf(port))
                .env("HARNESS_ENV", "from-env")
                .logFile(dir.resolve("logs/silo-ready.log"))
                .start()) {
            MatchResult ready = process.awaitLogLine(READY, START);

            assertThat(Integer.parseInt(ready.group(1))).isEqualTo(port);
            assertThat(process.isAlive()).isTrue();
            assertThat(process.exitCode()).isEmpty();
            assertThat(osProcessAlive(process.pid())).isTrue();
            assertThat(process.awaitLogLine(Pattern.compile("CONFIG prop=(\\S+) env=(\\S+)"), START)
                            .group(0))
                    .isEqualTo("CONFIG prop=from-option env=from-env");
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            }
            assertThat(Files.readString(dir.resolve("logs/silo-ready.log"))).contains("READY port=" + port);
        }
    }

    @Test
    void killEndsTheProcessAtOnceWithoutShutdownHooks() {
        try (JvmProcess process = silo("hook", "silo-kill").start()) {
            process.awaitLogLine(READY, START);
            long pid = process.pid();

            long began = System.nanoTime();
            int exitCode = process.kill();
            Duration took = Duration.ofNanos(System.nanoTime() - began);

            assertThat(took).isLessThan(Duration.ofSeconds(5));
            assertThat(exitCode).isEqualTo(SIGKILL_EXIT);
            assertThat(process.exitCode()).hasValue(SIGKILL_EXIT);
            assertThat(process.isAlive()).isFalse();
            assertThat(osProcessAlive(pid)).isFalse();
            assertThat(process.logTail(40)).contains("READY port=").doesNotContain("STOPPING");
        }
    }

    @Test
    void terminateRunsTheShutdownHooks() {
        try (JvmProcess process = silo("hook", "silo-term").start()) {
            process.awaitLogLine(READY, START);

            assertThat(process.terminate(Duration.ofSeconds(30))).isTrue();

            assertThat(process.exitCode()).hasValue(SIGTERM_EXIT);
            // The process has exited: the line is found in what it left in the log.
            assertThat(process.awaitLogLine(STOPPING, Duration.ofSeconds(5)).group())
                    .isEqualTo("STOPPING");
        }
    }

    @Test
    void terminateKillsAProcessThatDoesNotStopWithinTheGracePeriod() {
        try (JvmProcess process = silo("stuck-hook", "silo-stuck").start()) {
            process.awaitLogLine(READY, START);

            assertThat(process.terminate(Duration.ofMillis(500))).isFalse();

            assertThat(process.exitCode()).hasValue(SIGKILL_EXIT);
            assertThat(process.logTail(40)).contains("STOPPING");
        }
    }

    @Test
    void aLineThatNeverComesFailsWithTheLogTail() {
        try (JvmProcess process = silo("block", "silo-silent").start()) {
            process.awaitLogLine(READY, START);

            long began = System.nanoTime();
            assertThatThrownBy(() -> process.awaitLogLine(Pattern.compile("NEVER"), Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("silo-silent (pid " + process.pid() + ")")
                    .hasMessageContaining("/NEVER/ within PT1S")
                    .hasMessageContaining("READY port=");
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(process.isAlive()).isTrue();
        }
    }

    @Test
    void aProcessThatExitsEarlyFailsTheWaitAtOnce() {
        try (JvmProcess process = silo("fail", "silo-fail").start()) {
            long began = System.nanoTime();
            assertThatThrownBy(() -> process.awaitLogLine(READY, Duration.ofMinutes(5)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code 3")
                    .hasMessageContaining("FAILING");
            // Far below the 5 minutes asked for: the wait ends when the process does.
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(30));
            assertThat(process.exitCode()).hasValue(3);
        }
    }

    @Test
    void closeKillsALiveProcess() {
        JvmProcess process = silo("block", "silo-close").start();
        process.awaitLogLine(READY, START);
        long pid = process.pid();

        process.close();

        assertThat(process.isAlive()).isFalse();
        assertThat(osProcessAlive(pid)).isFalse();
        assertThat(process.exitCode()).hasValue(SIGKILL_EXIT);
        process.close(); // a second close is harmless
    }

    @Test
    void aRestartOnTheSameLogSeesOnlyItsOwnLines() throws IOException {
        Path log = dir.resolve("shared.log");
        try (JvmProcess first = silo("block", "silo-first").logFile(log).start()) {
            first.awaitLogLine(READY, START);
        }
        try (JvmProcess second = silo("fail", "silo-second").logFile(log).start()) {
            // The first run's READY line is in the file, but it is not the second run's.
            assertThatThrownBy(() -> second.awaitLogLine(READY, START)).hasMessageContaining("exited with code 3");
            assertThat(second.logTail(40)).doesNotContain("READY");
        }
        assertThat(Files.readString(log)).contains("READY port=", "FAILING");
    }

    @Test
    void aProcessMustBeStartedFirst() {
        JvmProcess process = silo("block", "silo-unstarted").build();

        assertThatThrownBy(() -> process.awaitLogLine(READY, START)).hasMessageContaining("has not been started");
        assertThat(process.isAlive()).isFalse();
        assertThat(process.exitCode()).isEmpty();
        process.close();
    }

    @Test
    void freePortsAreDistinctAndBindable() throws IOException {
        int[] ports = FreePorts.allocate(20);

        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(20);
        for (int port : ports) {
            assertThat(port).isBetween(1, 65535);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", port));
            }
        }
        assertThat(FreePorts.allocate(0)).isEmpty();
        assertThatThrownBy(() -> FreePorts.allocate(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
