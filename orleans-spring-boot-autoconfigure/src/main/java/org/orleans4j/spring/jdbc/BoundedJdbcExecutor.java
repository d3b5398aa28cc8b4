package org.orleans4j.spring.jdbc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.orleans4j.grain.GrainException;
import org.orleans4j.internal.DaemonThreads;

/**
 * Runs blocking JDBC work on threads of its own, so that neither a grain turn nor a Netty event loop
 * nor the membership thread ever waits on the database; and bounds the caller's wait by the
 * {@link JdbcTimeout}: past it the returned future fails with a {@link GrainException} that names the
 * work and the timeout, even when the database never answers. Work still queued when its caller gave
 * up is not started, and work that waited for a connection past that point gets none
 * ({@link NetworkTimeoutDataSource} asks {@link #callerGaveUp()}): the caller was told it failed, so
 * it must not happen later.
 * <p>
 * A statement already sent when its caller gave up may still complete in the database (the outcome of
 * a timed-out write is unknown, as with any timeout); its result is dropped.
 */
public final class BoundedJdbcExecutor {

    /** One timer for every executor: it only completes futures, never runs JDBC. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    /** The result of the call that the current worker thread runs. */
    private static final ThreadLocal<CompletableFuture<?>> CURRENT = new ThreadLocal<>();

    private final ExecutorService threads;
    private final JdbcTimeout timeout;
    private final String component;

    /**
     * @param component what runs here, for messages and thread names ({@code membership table})
     * @param threadPrefix prefix of the worker threads' names
     * @param threadCount worker threads, at most the statements running at once
     * @param timeout the bound of each caller's wait
     */
    public BoundedJdbcExecutor(String component, String threadPrefix, int threadCount, JdbcTimeout timeout) {
        this.component = component;
        this.timeout = timeout;
        this.threads = Executors.newFixedThreadPool(threadCount, DaemonThreads.named(threadPrefix));
    }

    public JdbcTimeout timeout() {
        return timeout;
    }

    /**
     * Runs {@code work} on a worker thread. The future fails with {@code failure.apply(e)} when the
     * work throws {@code e}, and with a timeout {@link GrainException} ("Could not {@code what}: the
     * database did not answer within ...") when no result came within the timeout.
     */
    public <T> CompletableFuture<T> submit(
            String what, Supplier<T> work, Function<RuntimeException, RuntimeException> failure) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (threads.isShutdown()) {
            result.completeExceptionally(
                    new GrainException("Could not " + what + ": the " + component + " is shut down"));
            return result;
        }
        ScheduledFuture<?> deadline = TIMER.schedule(
                () -> result.completeExceptionally(timedOut(what)),
                timeout.value().toNanos(),
                TimeUnit.NANOSECONDS);
        result.whenComplete((value, error) -> deadline.cancel(false));
        try {
            threads.execute(() -> {
                if (result.isDone()) {
                    return; // its caller already gave up
                }
                CURRENT.set(result);
                try {
                    result.complete(work.get());
                } catch (RuntimeException e) {
                    result.completeExceptionally(failure.apply(e));
                } catch (Error e) {
                    result.completeExceptionally(e);
                    throw e;
                } finally {
                    CURRENT.remove();
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(
                    new GrainException("Could not " + what + ": the " + component + " is shut down", e));
        }
        return result;
    }

    /** Whether the call run by this thread (if it is a worker) was already failed for its caller. */
    static boolean callerGaveUp() {
        CompletableFuture<?> current = CURRENT.get();
        return current != null && current.isDone();
    }

    private GrainException timedOut(String what) {
        return new GrainException("Could not " + what + ": the database did not answer within " + timeout + " ("
                + JdbcTimeout.PROPERTY + ")");
    }

    /** Stops taking work; calls afterwards fail at once. Running statements end with their connections. */
    public void shutdown() {
        threads.shutdown();
    }

    public boolean isShutdown() {
        return threads.isShutdown();
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer =
                new ScheduledThreadPoolExecutor(1, DaemonThreads.named("orleans-jdbc-timeouts"));
        // Nearly every call completes in time: drop its deadline at once rather than holding it for the full timeout.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
