package org.orleans4j.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered stages of a silo's start and stop. Each part of a silo (its timers, the cluster
 * membership, the activations, the gateway, agents such as the Kubernetes one) subscribes to a stage;
 * the silo starts the stages in ascending order and stops them in descending order, so a part starts
 * after everything it needs and stops before it. Within one stage participants start in the order they
 * subscribed and stop in reverse. If a start fails, the participants already started are stopped in
 * reverse and the failure is rethrown; a failing stop is logged and the others still stop.
 */
public final class SiloLifecycle {

    /** Timers of the runtime itself: idle-activation collection and response timeouts. */
    public static final int RUNTIME_SERVICES = 1000;
    /** Joining the cluster (Joining, connectivity check, Active in the table); leaving it (hand-over, Dead). */
    public static final int CLUSTER_MEMBERSHIP = 2000;
    /** Stopping only: every activation is deactivated (its {@code onDeactivate} runs, where state is written). */
    public static final int ACTIVATIONS = 3000;
    /** Stopping only: ShuttingDown in the membership table, so no silo places new activations here. */
    public static final int BECOME_ACTIVE = 4000;
    /** Stopping only: new activations are refused here, before the table says so. */
    public static final int ACCEPT_ACTIVATIONS = 4500;
    /** Services that run while the silo is active: the activation-count publisher, the Kubernetes agent. */
    public static final int APPLICATION_SERVICES = 5000;
    /** Stopping only, first of all: clients are told to move to other gateways. */
    public static final int GATEWAY = 6000;

    /** Something that starts and stops with the silo, at one stage. */
    public interface Participant {

        /** Called when the silo starts; may block. A failure stops the silo's start. */
        default void start() {}

        /** Called when the silo stops, within {@code budget}. */
        default void stop(ShutdownBudget budget) {}
    }

    /**
     * The time a graceful stop has: everything ends by {@code deadlineNanos}; deactivation ends by
     * {@code deactivationDeadlineNanos}, so that leaving the cluster has time left even when an
     * {@code onDeactivate} hangs ({@link System#nanoTime()} values).
     */
    public record ShutdownBudget(long startNanos, long deadlineNanos, long deactivationDeadlineNanos) {

        /** What is left until {@code deadlineNanos}, never negative. */
        public static Duration remaining(long deadlineNanos) {
            return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
        }

        public long millisSinceStart() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }
    }

    private record Subscription(String name, int stage, int order, Participant participant) {}

    private static final Logger log = LoggerFactory.getLogger(SiloLifecycle.class);

    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<Subscription> started = new ArrayList<>();
    private boolean starting;

    /** Adds {@code participant} at {@code stage}; only before the silo starts. */
    public synchronized void subscribe(String name, int stage, Participant participant) {
        if (starting) {
            throw new IllegalStateException(
                    "The silo has started; '" + name + "' must subscribe to its lifecycle before start()");
        }
        subscriptions.add(new Subscription(name, stage, subscriptions.size(), participant));
    }

    /** Starts every participant in stage order; on a failure stops the started ones and rethrows it. */
    synchronized void start() {
        starting = true;
        List<Subscription> order = new ArrayList<>(subscriptions);
        order.sort(Comparator.comparingInt(Subscription::stage).thenComparingInt(Subscription::order));
        for (Subscription subscription : order) {
            try {
                subscription.participant().start();
            } catch (RuntimeException e) {
                log.debug("Lifecycle participant '{}' failed to start", subscription.name(), e);
                long now = System.nanoTime();
                stop(new ShutdownBudget(now, now, now));
                throw e;
            }
            started.add(subscription);
        }
    }

    /** Stops the started participants, the latest stage first. */
    void stop(ShutdownBudget budget) {
        List<Subscription> order;
        synchronized (this) {
            order = new ArrayList<>(started);
            started.clear();
        }
        order.sort(Comparator.comparingInt(Subscription::stage)
                .thenComparingInt(Subscription::order)
                .reversed());
        for (Subscription subscription : order) {
            try {
                subscription.participant().stop(budget);
            } catch (RuntimeException e) {
                log.warn("Lifecycle participant '{}' failed to stop; stopping the others", subscription.name(), e);
            }
        }
    }
}
