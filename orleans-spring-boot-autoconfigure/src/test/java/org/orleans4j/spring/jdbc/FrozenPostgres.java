package org.orleans4j.spring.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A real PostgreSQL server (embedded, started for the test) that the test can freeze as a hung
 * database server does: every process of the server (the postmaster and the backends serving the
 * open connections) is stopped with {@code SIGSTOP}, so connections stay open and the kernel still
 * accepts bytes and new connections, but nothing ever answers; {@code SIGCONT} thaws it. Stopping the
 * postmaster alone would leave the pool's existing connections served by their backends.
 * It is a server of its own, not the JVM's shared one ({@code org.orleans4j.testing.db.EmbeddedPostgresServer}):
 * freezing that would hang every other test class on it.
 */
public final class FrozenPostgres implements AutoCloseable {

    private final Path dataDirectory;
    private final EmbeddedPostgres postgres;
    private final List<Long> frozen = new ArrayList<>();

    private FrozenPostgres(Path dataDirectory, EmbeddedPostgres postgres) {
        this.dataDirectory = dataDirectory;
        this.postgres = postgres;
    }

    public static FrozenPostgres start() throws IOException {
        Path dataDirectory = Files.createTempDirectory("frozen-postgres");
        // The data directory is ours, so the postmaster's pid can be read from it.
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(true)
                .start();
        return new FrozenPostgres(dataDirectory, postgres);
    }

    public DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** The postmaster's pid, the first line of {@code postmaster.pid}. */
    public long postmasterPid() throws IOException {
        String first = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8)
                .get(0);
        return Long.parseLong(first.trim());
    }

    /** Stops the postmaster first (so it forks nothing new), then every backend it has. */
    public synchronized List<Long> freeze() throws IOException, InterruptedException {
        if (!frozen.isEmpty()) {
            throw new IllegalStateException("Already frozen: " + frozen);
        }
        long postmaster = postmasterPid();
        signal("-STOP", List.of(postmaster));
        frozen.add(postmaster);
        List<Long> children = ProcessHandle.of(postmaster)
                .map(ProcessHandle::descendants)
                .orElseGet(Stream::empty)
                .map(ProcessHandle::pid)
                .toList();
        frozen.addAll(children);
        signal("-STOP", children);
        return List.copyOf(frozen);
    }

    /** Lets every frozen process run again. */
    public synchronized void thaw() throws IOException, InterruptedException {
        if (frozen.isEmpty()) {
            return;
        }
        signal("-CONT", frozen);
        frozen.clear();
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
            throw new IOException("'" + String.join(" ", command) + "' did not finish");
        }
        String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (kill.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", command) + "' failed (" + kill.exitValue() + "): " + output);
        }
    }

    /** Thaws first: a stopped server would not stop. */
    @Override
    public void close() throws Exception {
        try {
            thaw();
        } finally {
            postgres.close();
        }
    }
}
