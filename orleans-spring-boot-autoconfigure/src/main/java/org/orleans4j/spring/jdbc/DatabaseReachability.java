package org.orleans4j.spring.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.orleans4j.grain.GrainException;
import org.orleans4j.internal.DaemonThreads;
import org.orleans4j.internal.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Whether the grain storage's database answers, checked every period on threads of its own: a
 * connection's {@link java.sql.Connection#isValid} bounded by {@code orleans.jdbc.timeout}, so a
 * frozen server counts as unreachable after that timeout rather than holding the check. The
 * {@code orleansStorage} health indicator reports it, and the readiness group includes it, so an
 * instance whose database does not answer is taken out of the load balancer while its active grains
 * keep serving reads from memory; the first check that succeeds makes it reachable again.
 * <p>
 * Checks never overlap: the next one starts a period after the previous one ended. A check stuck on
 * a frozen connection keeps its thread until the connection's network timeout; checks queued behind
 * it fail when their own timeout passes, so the reading stays current.
 */
public final class DatabaseReachability implements SmartLifecycle {

    /** The property that turns the check (and so the readiness it feeds) off. */
    public static final String PROPERTY = "orleans.persistence.jdbc.readiness-check";

    private static final Logger log = LoggerFactory.getLogger(DatabaseReachability.class);

    /**
     * The latest result.
     *
     * @param reachable whether the last check succeeded (also before the first check ends)
     * @param since when {@code reachable} last changed
     * @param error why the last check failed; {@code null} when it succeeded
     * @param checkedAt when the last check ended; {@code null} before the first
     */
    public record Reading(boolean reachable, Instant since, String error, Instant checkedAt) {}

    private final JdbcTemplate template;
    private final JdbcTimeout timeout;
    private final Duration period;
    private final BoundedJdbcExecutor executor;
    private final ScheduledExecutorService timer;
    private volatile Reading reading = new Reading(true, Instant.now(), null, null);
    private volatile boolean running;

    /**
     * @param dataSource the storage's database
     * @param timeout bound of each check
     * @param period time between the end of one check and the start of the next
     */
    public DatabaseReachability(DataSource dataSource, JdbcTimeout timeout, Duration period) {
        if (period == null || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException(PROPERTY + "-period must be a positive duration, was " + period);
        }
        this.template = timeout.template(dataSource);
        this.timeout = timeout;
        this.period = period;
        this.executor = new BoundedJdbcExecutor("database check", "orleans-db-check", 1, timeout);
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("orleans-db-check-timer"));
    }

    public Reading reading() {
        return reading;
    }

    public Duration period() {
        return period;
    }

    /** Checks once now; the returned future completes with the reading it produced. */
    public CompletableFuture<Reading> checkNow() {
        return executor.submit(
                        "check that the database answers",
                        () -> template.execute(
                                (ConnectionCallback<Boolean>) c -> c.isValid(timeout.queryTimeoutSeconds())),
                        e -> e)
                .handle((valid, error) -> record(valid, error));
    }

    private Reading record(Boolean valid, Throwable error) {
        Instant now = Instant.now();
        boolean reachable = error == null && Boolean.TRUE.equals(valid);
        String why = reachable ? null : describe(valid, error);
        Reading previous = reading;
        Reading next = new Reading(reachable, previous.reachable() == reachable ? previous.since() : now, why, now);
        reading = next;
        if (previous.reachable() && !reachable) {
            log.warn(
                    "The grain storage's database does not answer ({}): readiness (orleansStorage) is OUT_OF_SERVICE "
                            + "until it does. Active grains keep serving reads from memory; state writes fail within "
                            + "{} ({}). Set {}=false to keep readiness UP during database outages",
                    why,
                    timeout,
                    JdbcTimeout.PROPERTY,
                    PROPERTY);
        } else if (!previous.reachable() && reachable) {
            log.info(
                    "The grain storage's database answers again after {} ms unreachable: readiness (orleansStorage) is UP",
                    Duration.between(previous.since(), now).toMillis());
        }
        return next;
    }

    private static String describe(Boolean valid, Throwable error) {
        if (error == null) {
            return "a connection was not valid";
        }
        Throwable cause = Futures.unwrap(error);
        if (cause instanceof DataAccessException data) {
            return data.getMostSpecificCause().toString();
        }
        return cause instanceof GrainException ? cause.getMessage() : cause.toString();
    }

    private void scheduleNext(long delayNanos) {
        if (!running) {
            return;
        }
        timer.schedule(
                () -> checkNow().whenComplete((r, e) -> scheduleNext(period.toNanos())),
                delayNanos,
                TimeUnit.NANOSECONDS);
    }

    @Override
    public void start() {
        running = true;
        scheduleNext(0);
    }

    @Override
    public void stop() {
        running = false;
        timer.shutdownNow();
        executor.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
