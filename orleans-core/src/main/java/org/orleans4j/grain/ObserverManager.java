package org.orleans4j.grain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The subscribers of a grain, as Orleans' {@code ObserverManager}: observers subscribe (and subscribe
 * again to stay), the grain notifies them all, and a subscriber that has not renewed within the
 * expiration is dropped, so a client that went away without unsubscribing is forgotten. A notification
 * that fails with {@link ObserverUnavailableException} drops its observer at once. Keep one in a grain
 * field; like the grain's other fields it is used on the grain's turn only (not thread-safe).
 *
 * @param <T> the observer interface
 */
public final class ObserverManager<T> {

    private final Duration expiration;
    private final Clock clock;
    /** Observer → when it last subscribed, in subscription order. */
    private final Map<T, Instant> observers = new LinkedHashMap<>();

    private long dropped;

    /** Subscribers that do not subscribe again within {@code expiration} are dropped. */
    public ObserverManager(Duration expiration) {
        this(expiration, Clock.systemUTC());
    }

    public ObserverManager(Duration expiration, Clock clock) {
        if (expiration.isNegative() || expiration.isZero()) {
            throw new IllegalArgumentException("expiration must be positive, was " + expiration);
        }
        this.expiration = expiration;
        this.clock = clock;
    }

    /** Adds {@code observer}, or renews it when it is subscribed already. */
    public void subscribe(T observer) {
        observers.put(Objects.requireNonNull(observer, "observer"), clock.instant());
    }

    public void unsubscribe(T observer) {
        observers.remove(observer);
    }

    /** Whether {@code observer} is subscribed and has not expired. */
    public boolean isSubscribed(T observer) {
        dropExpired();
        return observers.containsKey(observer);
    }

    /** The live subscribers, in subscription order. */
    public List<T> observers() {
        dropExpired();
        return List.copyOf(observers.keySet());
    }

    public int size() {
        dropExpired();
        return observers.size();
    }

    /** Subscribers dropped so far: expired, or gone when notified. */
    public long droppedCount() {
        return dropped;
    }

    /**
     * Calls {@code notification} on every live subscriber; completes when every call did. A subscriber
     * whose call fails with {@link ObserverUnavailableException} (its client is gone) is dropped; other
     * failures are the subscriber's and leave it subscribed. The returned future fails only if
     * {@code notification} itself throws.
     */
    public CompletableFuture<Void> notify(Function<? super T, ? extends @Nullable CompletionStage<?>> notification) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (T observer : observers()) {
            CompletionStage<?> call = notification.apply(observer);
            if (call != null) {
                calls.add(call.toCompletableFuture().whenComplete((result, failure) -> {
                    Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null
                            ? wrapped.getCause()
                            : failure;
                    if (cause instanceof ObserverUnavailableException) {
                        if (observers.remove(observer) != null) {
                            dropped++;
                        }
                    }
                }));
            }
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).handle((done, failure) -> null);
    }

    private void dropExpired() {
        Instant oldest = clock.instant().minus(expiration);
        var entries = observers.entrySet().iterator();
        while (entries.hasNext()) {
            if (entries.next().getValue().isBefore(oldest)) {
                entries.remove();
                dropped++;
            }
        }
    }
}
