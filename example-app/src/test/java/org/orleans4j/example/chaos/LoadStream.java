package org.orleans4j.example.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One stream of load through one {@link DictionaryRoute}, one operation at a time on its own thread: a
 * PUT of a new word or of a new definition of one of its words (every definition is unique in the run),
 * then a GET of one of its acknowledged words, which must read back what was acknowledged. The stream
 * owns its words, so it knows the latest acknowledged definition of each exactly. Counts calls, failed
 * calls, words that read back wrong, and the longest time without a successful call.
 */
final class LoadStream {

    /** Pause between operations: a steady load that leaves the two cores to the silos and their restarts. */
    private static final long PACE_MILLIS = 50;
    /** Words per stream; new words keep activating grains until then, definitions change after. */
    private static final int MAX_WORDS = 300;

    private final String name;
    private final DictionaryRoute route;
    private final Random random;
    private final List<TrackedWord> words = new ArrayList<>();
    private final List<TrackedWord> readable = new ArrayList<>();
    private final ScheduledExecutorService thread;
    private final LossLog losses;
    private long definitions;
    private long calls;
    private long failedCalls;
    private volatile long lastSuccessNanos;
    private long longestFailureRunNanos;
    private String lastFailure;
    private volatile Throwable crash;

    LoadStream(String name, DictionaryRoute route, long seed, LossLog losses) {
        this.name = name;
        this.route = route;
        this.random = new Random(seed);
        this.losses = losses;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "chaos-load-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        thread.execute(() -> lastSuccessNanos = System.nanoTime());
        thread.scheduleWithFixedDelay(this::step, 0, PACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Stops after the operation in progress; the stream's figures are final once this returns. */
    void stop() throws InterruptedException {
        thread.shutdown();
        if (!thread.awaitTermination(2 * DictionaryRoute.CALL_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("load stream " + name + " did not stop");
        }
        if (crash != null) {
            throw new IllegalStateException("load stream " + name + " crashed", crash);
        }
        longestFailureRunNanos = Math.max(longestFailureRunNanos, System.nanoTime() - lastSuccessNanos);
    }

    private void step() {
        try {
            putThenGet();
        } catch (RuntimeException | Error e) {
            // A fault of the stream itself, not of a call: the executor would drop it silently.
            crash = e;
            throw e;
        }
    }

    private void putThenGet() {
        TrackedWord written = pickWordToWrite();
        String definition = name + "#" + (++definitions);
        if (call(() -> route.put(written.word(), definition))) {
            written.acknowledged(definition);
            if (!readable.contains(written)) {
                readable.add(written);
            }
        } else {
            written.failed(definition);
        }
        if (!readable.isEmpty()) {
            TrackedWord read = readable.get(random.nextInt(readable.size()));
            String[] value = new String[1];
            if (call(() -> value[0] = route.get(read.word())) && !read.accepts(value[0])) {
                losses.record(name, read, value[0]);
            }
        }
    }

    /** Sometimes a new word, until the stream has {@link #MAX_WORDS}; else one of its words not retired. */
    private TrackedWord pickWordToWrite() {
        List<TrackedWord> writable =
                readable.stream().filter(word -> !word.isRetired()).toList();
        if (writable.isEmpty() || words.size() < MAX_WORDS && random.nextInt(4) == 0) {
            TrackedWord word = new TrackedWord(name + "-w" + words.size());
            words.add(word);
            return word;
        }
        return writable.get(random.nextInt(writable.size()));
    }

    private boolean call(Call call) {
        calls++;
        try {
            call.run();
        } catch (Exception e) {
            failedCalls++;
            lastFailure = e.toString();
            return false;
        } catch (Error e) {
            failedCalls++;
            lastFailure = e.toString();
            throw e;
        }
        long now = System.nanoTime();
        longestFailureRunNanos = Math.max(longestFailureRunNanos, now - lastSuccessNanos);
        lastSuccessNanos = now;
        return true;
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    String name() {
        return name;
    }

    DictionaryRoute route() {
        return route;
    }

    /** The stream's words; read them only after {@link #stop()}. */
    List<TrackedWord> words() {
        return words;
    }

    /** Whether a call of this stream succeeded after {@code nanos} ({@link System#nanoTime()}). */
    boolean succeededAfter(long nanos) {
        return lastSuccessNanos - nanos > 0;
    }

    long calls() {
        return calls;
    }

    long failedCalls() {
        return failedCalls;
    }

    long longestFailureRunMillis() {
        return TimeUnit.NANOSECONDS.toMillis(longestFailureRunNanos);
    }

    String lastFailure() {
        return lastFailure;
    }
}
