package org.orleans4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM started as a separate operating-system process (typically a silo), for tests that need real
 * process boundaries: crash one hard with {@link #kill()} ({@code kill -9}) or stop it gracefully with
 * {@link #terminate(Duration)} ({@code SIGTERM}, which runs its shutdown hooks).
 *
 * <p>Standard output and standard error go to one log file, never to a pipe: a pipe that nobody reads
 * fills up and then blocks the child on its next write. Tests wait for progress with
 * {@link #awaitLogLine(Pattern, Duration)}. Standard input is empty.
 *
 * <pre>{@code
 * try (JvmProcess silo = JvmProcess.builder("com.example.SiloMain")
 *         .name("silo-1")
 *         .args("--port", String.valueOf(port))
 *         .logFile(tempDir.resolve("silo-1.log"))
 *         .start()) {
 *     silo.awaitLogLine(Pattern.compile("READY port=(\\d+)"), Duration.ofSeconds(30));
 *     silo.kill();
 * }
 * }</pre>
 *
 * <p>Signals are those of Linux and macOS; on Windows {@link #terminate(Duration)} is a hard kill too.
 */
public final class JvmProcess implements AutoCloseable {

    /** Lines of log included in a failure message. */
    private static final int FAILURE_TAIL_LINES = 40;

    /** How often the log is polled: short next to a JVM start, long next to reading a few new bytes. */
    private static final long POLL_MILLIS = 50;

    /** SIGKILL cannot be ignored, so this only bounds pathological cases (a process stuck in the kernel). */
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;

    private volatile Process process;
    /** Where this process's output starts: the log is appended to, so an earlier run's lines are not ours. */
    private volatile long logStart;

    private JvmProcess(Builder builder, Path logFile) {
        this.name = builder.name != null ? builder.name : simpleName(builder.mainClass);
        this.environment = Map.copyOf(builder.environment);
        this.logFile = logFile;
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.addAll(builder.jvmOptions);
        cmd.add("-cp");
        cmd.add(builder.classpath);
        cmd.add(builder.mainClass);
        cmd.addAll(builder.args);
        this.command = List.copyOf(cmd);
    }

    /**
     * A builder for a JVM running {@code mainClass}, by default on this JVM's class path.
     *
     * @param mainClass fully qualified name of the class whose {@code main} is run
     */
    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    /**
     * Starts the process. Its output is appended to the log file (created with its parent directories).
     *
     * @return this
     * @throws IllegalStateException if already started
     * @throws UncheckedIOException if the log file cannot be created or the process cannot be started
     */
    public synchronized JvmProcess start() {
        if (process != null) {
            throw new IllegalStateException(this + " was already started; build a new JvmProcess to restart");
        }
        try {
            Path parent = logFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            Process started = builder.start();
            // Closed (the child reads end of input), never inherited: under Surefire this JVM's stdin is
            // its command channel from Maven, which a child must not read from.
            started.getOutputStream().close();
            Reaper.register(started);
            process = started;
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
    }

    /**
     * Waits until the process has printed a line in which {@code pattern} is found ({@link Matcher#find()}),
     * and returns that match, so that groups can carry values such as a port. Searches all output of this
     * process since it started, so a line printed before the call counts.
     *
     * @throws IllegalStateException if the process exits without printing such a line, or none appears
     *     within {@code timeout}; the message ends with the last lines of the log
     */
    public MatchResult awaitLogLine(Pattern pattern, Duration timeout) {
        Process running = started();
        long deadline = System.nanoTime() + timeout.toNanos();
        LogCursor cursor = new LogCursor(logFile, logStart);
        while (true) {
            // Checked before reading: once the process is seen dead, the read below has all it ever wrote,
            // so it cannot be declared silent while its last lines are still unread.
            boolean exited = !running.isAlive();
            List<String> lines = cursor.readLines(exited);
            for (String line : lines) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.find()) {
                    return matcher.toMatchResult();
                }
            }
            if (exited) {
                throw failure("exited with code " + running.exitValue() + " without printing a line matching /"
                        + pattern + "/");
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw failure("printed no line matching /" + pattern + "/ within " + timeout);
            }
            sleep(Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(remaining) + 1));
        }
    }

    /**
     * Kills the process hard ({@code SIGKILL}, like {@code kill -9}: no shutdown hooks, no flushing) and
     * waits until it has exited. Does nothing to a process that has already exited.
     *
     * @return the exit code, {@code 137} (128 + 9) on Linux
     */
    public int kill() {
        Process running = started();
        running.destroyForcibly();
        awaitExit(running, KILL_WAIT, "SIGKILL");
        return running.exitValue();
    }

    /**
     * Stops the process gracefully ({@code SIGTERM}, which runs its shutdown hooks) and waits up to
     * {@code grace} for it to exit; if it has not by then, kills it hard as {@link #kill()} does.
     *
     * @return {@code true} if it exited within {@code grace}, {@code false} if it had to be killed
     */
    public boolean terminate(Duration grace) {
        Process running = started();
        running.destroy();
        if (awaitExit(running, grace)) {
            return true;
        }
        running.destroyForcibly();
        awaitExit(running, KILL_WAIT, "SIGKILL after SIGTERM was ignored for " + grace);
        return false;
    }

    /** The exit code, or empty if the process has not been started or is still running. */
    public OptionalInt exitCode() {
        Process running = process;
        return running == null || running.isAlive() ? OptionalInt.empty() : OptionalInt.of(running.exitValue());
    }

    /** Whether the process has been started and has not exited yet. */
    public boolean isAlive() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /**
     * The operating-system process id.
     *
     * @throws IllegalStateException if not started
     */
    public long pid() {
        return started().pid();
    }

    /** The name given to the builder (default: the main class's simple name), used in messages. */
    public String name() {
        return name;
    }

    /** The file that receives the process's standard output and standard error. */
    public Path logFile() {
        return logFile;
    }

    /**
     * The last {@code lines} lines this process has printed so far (fewer if it printed fewer), joined
     * with {@code \n}; empty if not started.
     */
    public String logTail(int lines) {
        if (process == null || lines <= 0) {
            return "";
        }
        Deque<String> tail = new ArrayDeque<>(lines);
        // Includes a line still being written: a tail is for reading, not matching.
        for (String line : new LogCursor(logFile, logStart).readLines(true)) {
            if (tail.size() == lines) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
        return String.join("\n", tail);
    }

    /** Kills the process hard if it is still running; a test's try-with-resources never leaves one behind. */
    @Override
    public void close() {
        if (process != null) {
            kill();
        }
    }

    @Override
    public String toString() {
        Process running = process;
        return running == null ? name : name + " (pid " + running.pid() + ")";
    }

    private Process started() {
        Process running = process;
        if (running == null) {
            throw new IllegalStateException(name + " has not been started");
        }
        return running;
    }

    private void awaitExit(Process running, Duration timeout, String what) {
        if (!awaitExit(running, timeout)) {
            throw new IllegalStateException(this + " did not exit within " + timeout + " after " + what);
        }
    }

    private static boolean awaitExit(Process running, Duration timeout) {
        try {
            return running.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a process to exit", e);
        }
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException(this + " " + what + "; log " + logFile + ", last " + FAILURE_TAIL_LINES
                + " lines:\n" + logTail(FAILURE_TAIL_LINES));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a log line", e);
        }
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /**
     * The running JVM's own launcher, so that the child runs the same Java version. {@code java.home}
     * first: {@code ProcessHandle.info().command()} names the embedding executable when the JVM was
     * started through JNI (an IDE launcher, say), not {@code java}.
     */
    private static String javaExecutable() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current()
                .info()
                .command()
                .orElseThrow(() -> new IllegalStateException("no java executable under " + java.getParent()));
    }

    /** Configures a {@link JvmProcess}; may be reused to start the same JVM again (with a new instance). */
    public static final class Builder {

        private final String mainClass;
        private String classpath = System.getProperty("java.class.path");
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String name;
        private Path logFile;

        private Builder(String mainClass) {
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
        }

        /**
         * The class path, by default this JVM's {@code java.class.path}. Under Maven Surefire that may be a
         * manifest-only booter jar; it works for the child as long as the jar exists, which it does while
         * the tests run.
         */
        public Builder classpath(String classpath) {
            this.classpath = Objects.requireNonNull(classpath, "classpath");
            return this;
        }

        /** Adds JVM options, such as {@code -Xmx256m} or {@code -Dkey=value}, placed before the main class. */
        public Builder jvmOptions(String... options) {
            jvmOptions.addAll(Arrays.asList(options));
            return this;
        }

        /** Adds program arguments, passed to {@code main}. */
        public Builder args(String... arguments) {
            args.addAll(Arrays.asList(arguments));
            return this;
        }

        /** Sets an environment variable for the child, on top of this JVM's environment. */
        public Builder env(String variable, String value) {
            environment.put(Objects.requireNonNull(variable, "variable"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The name used in messages; default: the main class's simple name. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The file that receives standard output and standard error; default: a new temporary file. */
        public Builder logFile(Path logFile) {
            this.logFile = Objects.requireNonNull(logFile, "logFile");
            return this;
        }

        /** A process configured as this builder is now, not yet started. */
        public JvmProcess build() {
            if (classpath == null || classpath.isEmpty()) {
                throw new IllegalStateException("no class path: java.class.path is not set; call classpath(...)");
            }
            Path log = logFile;
            if (log == null) {
                try {
                    log = Files.createTempFile(
                            "jvm-process-" + (name != null ? name : simpleName(mainClass)) + "-", ".log");
                } catch (IOException e) {
                    throw new UncheckedIOException("could not create a log file", e);
                }
            }
            return new JvmProcess(this, log);
        }

        /** Builds and {@linkplain JvmProcess#start() starts} the process. */
        public JvmProcess start() {
            return build().start();
        }
    }

    /**
     * Reads a log file incrementally from an offset, in whole lines, so that polling a growing log does
     * not re-read it from the start each time.
     */
    private static final class LogCursor {

        private final Path file;
        private long position;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        LogCursor(Path file, long start) {
            this.file = file;
            this.position = start;
        }

        /**
         * The lines completed since the last call, and with {@code includeUnterminated} the last line even
         * without its newline (once the writer has gone, nobody will complete it).
         */
        List<String> readLines(boolean includeUnterminated) {
            List<String> lines = new ArrayList<>();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.allocate(8192);
                int read;
                while ((read = channel.read(buffer, position)) > 0) {
                    position += read;
                    for (int i = 0; i < read; i++) {
                        byte b = buffer.get(i);
                        if (b == '\n') {
                            lines.add(decode(partial));
                            partial.reset();
                        } else {
                            partial.write(b);
                        }
                    }
                    buffer.clear();
                }
            } catch (NoSuchFileException e) {
                return lines;
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + file, e);
            }
            if (includeUnterminated && partial.size() > 0) {
                lines.add(decode(partial));
                partial.reset();
            }
            return lines;
        }

        private static String decode(ByteArrayOutputStream bytes) {
            // Malformed bytes become U+FFFD rather than failing: a log line is evidence, not data.
            String line = bytes.toString(StandardCharsets.UTF_8);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        }
    }

    /**
     * Kills the processes still running when this JVM exits (normally or on SIGTERM/SIGINT; nothing runs
     * on SIGKILL), so that a test run that dies never leaves silos holding ports. One hook for all
     * processes, registered on first use.
     */
    private static final class Reaper {

        private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

        static {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "jvm-process-reaper"));
        }

        static void register(Process process) {
            LIVE.add(process);
            process.onExit().thenRun(() -> LIVE.remove(process));
        }
    }
}
