package org.orleans4j.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithLongKey;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.GrainWithUuidKey;
import org.orleans4j.grain.Idempotent;
import org.orleans4j.grain.OneWay;

/** Grains that cluster clients call in the tests; the silos host the implementations. */
public final class ClientGrains {

    private ClientGrains() {}

    /** A failure of the application's own, declared on the interface so it crosses the wire as itself. */
    public static class OrderRejectedException extends RuntimeException {
        public OrderRejectedException(String message) {
            super(message);
        }
    }

    public record Order(String item, int quantity) {}

    public interface EchoGrain extends GrainWithStringKey {
        /** Answers its argument and changes nothing: safe to run twice. */
        @Idempotent
        CompletableFuture<String> echo(String text);

        /** Calls the echo grain {@code otherKey} and returns what it said, prefixed with this grain's key. */
        CompletableFuture<String> relay(String otherKey, String text);

        CompletableFuture<Order> confirm(Order order) throws OrderRejectedException;

        CompletableFuture<Void> failWith(String message);

        CompletableFuture<Void> rejectOrder(String message) throws OrderRejectedException;

        @OneWay
        void record(String text);

        CompletableFuture<List<String>> recorded();

        /** Never answers until the test completes {@link EchoGrainImpl#held}; waiting twice does no harm. */
        @Idempotent
        CompletableFuture<String> hold();
    }

    public static class EchoGrainImpl extends GrainBase implements EchoGrain {
        /** Completed by a test to answer every held call. */
        static volatile CompletableFuture<String> held = new CompletableFuture<>();

        private final List<String> recorded = new ArrayList<>();

        @Override
        public CompletableFuture<String> echo(String text) {
            return CompletableFuture.completedFuture(text);
        }

        @Override
        public CompletableFuture<String> relay(String otherKey, String text) {
            return grainFactory()
                    .getGrain(EchoGrain.class, otherKey)
                    .echo(text)
                    .thenApply(echoed -> primaryKeyString() + ">" + echoed);
        }

        @Override
        public CompletableFuture<Order> confirm(Order order) {
            if (order.quantity() <= 0) {
                throw new OrderRejectedException("quantity must be positive, was " + order.quantity());
            }
            return CompletableFuture.completedFuture(new Order(order.item() + " (confirmed)", order.quantity()));
        }

        @Override
        public CompletableFuture<Void> failWith(String message) {
            throw new IllegalArgumentException(message);
        }

        @Override
        public CompletableFuture<Void> rejectOrder(String message) {
            return CompletableFuture.failedFuture(new OrderRejectedException(message));
        }

        @Override
        public void record(String text) {
            recorded.add(text);
        }

        @Override
        public CompletableFuture<List<String>> recorded() {
            return CompletableFuture.completedFuture(new ArrayList<>(recorded));
        }

        @Override
        public CompletableFuture<String> hold() {
            return resume(held);
        }
    }

    public interface CounterGrain extends GrainWithLongKey {
        CompletableFuture<Long> add(long amount);
    }

    public static class CounterGrainImpl extends GrainBase implements CounterGrain {
        private long total;

        @Override
        public CompletableFuture<Long> add(long amount) {
            total += amount;
            return CompletableFuture.completedFuture(total);
        }
    }

    public interface SessionGrain extends GrainWithUuidKey {
        CompletableFuture<String> key();
    }

    public static class SessionGrainImpl extends GrainBase implements SessionGrain {
        @Override
        public CompletableFuture<String> key() {
            return CompletableFuture.completedFuture(primaryKeyUuid().toString());
        }
    }

    /** An interface no silo implements. */
    public interface UnknownGrain extends GrainWithStringKey {
        CompletableFuture<String> hello();
    }
}
