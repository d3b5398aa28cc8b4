package org.orleans4j.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.Idempotent;
import org.orleans4j.grain.ReadOnly;
import org.orleans4j.messaging.MessagingOptions;

/**
 * An account for the delivery-guarantee tests: counts every run of each method (all silos of a test run
 * in one JVM, so the count spans activations and silos), and holds the first run of a method on a key
 * the test has put on hold, so the test can kill the silo while the call is running there.
 */
public final class DeliveryGrains {

    private DeliveryGrains() {}

    /** One in-flight request per connection: a held call makes the next one on that connection be refused unrun. */
    public static MessagingOptions oneRequestInFlight(Duration responseTimeout) {
        return new MessagingOptions(
                responseTimeout,
                MessagingOptions.DEFAULT_MAX_FRAME_BYTES,
                Duration.ofSeconds(5),
                MessagingOptions.DEFAULT_IDLE_TIMEOUT,
                MessagingOptions.DEFAULT_FRAME_TIMEOUT,
                1,
                MessagingOptions.DEFAULT_MAX_PENDING_WRITE_BYTES,
                MessagingOptions.DEFAULT_MAX_CONNECTIONS,
                MessagingOptions.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
                MessagingOptions.DEFAULT_MAX_OBJECT_DEPTH,
                MessagingOptions.DEFAULT_MAX_ELEMENTS,
                MessagingOptions.DEFAULT_EVENT_LOOP_LINGER);
    }

    public interface AccountGrain extends GrainWithStringKey {
        /** Adds to the balance: running it twice adds twice, so it is not idempotent. */
        CompletableFuture<Long> deposit(long amount);

        /** Sets the balance: running it twice leaves the same balance. */
        @Idempotent
        CompletableFuture<Long> setBalance(long amount);

        @ReadOnly
        CompletableFuture<Long> balance();

        /** Fails as if a call of its own had not been delivered, and lets that failure escape. */
        CompletableFuture<Void> failInTransit();
    }

    public static class AccountGrainImpl extends GrainBase implements AccountGrain {
        /** Runs per "key/method", across every activation of this JVM. */
        public static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
        /** Keys whose first run of deposit or setBalance waits for the future; completed by the test. */
        public static final Map<String, CompletableFuture<Void>> HOLDS = new ConcurrentHashMap<>();

        private long balance;

        public static int runs(String key, String method) {
            AtomicInteger count = RUNS.get(key + "/" + method);
            return count == null ? 0 : count.get();
        }

        /** Releases every held call and forgets the counts. */
        public static void reset() {
            HOLDS.values().forEach(hold -> hold.complete(null));
            HOLDS.clear();
            RUNS.clear();
        }

        @Override
        public CompletableFuture<Long> deposit(long amount) {
            return held("deposit").thenApply(v -> balance += amount);
        }

        @Override
        public CompletableFuture<Long> setBalance(long amount) {
            return held("setBalance").thenApply(v -> balance = amount);
        }

        @Override
        public CompletableFuture<Long> balance() {
            return CompletableFuture.completedFuture(balance);
        }

        @Override
        public CompletableFuture<Void> failInTransit() {
            RUNS.computeIfAbsent(primaryKeyString() + "/failInTransit", k -> new AtomicInteger())
                    .incrementAndGet();
            return CompletableFuture.failedFuture(new CallNotDeliveredException("a call of its own was not delivered"));
        }

        private CompletableFuture<Void> held(String method) {
            int run = RUNS.computeIfAbsent(primaryKeyString() + "/" + method, k -> new AtomicInteger())
                    .incrementAndGet();
            CompletableFuture<Void> hold = HOLDS.get(primaryKeyString());
            return run == 1 && hold != null ? resume(hold) : CompletableFuture.completedFuture(null);
        }
    }
}
