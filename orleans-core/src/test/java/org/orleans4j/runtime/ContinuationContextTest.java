package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithLongKey;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.Reentrant;
import org.orleans4j.grain.ResponseTimeoutException;
import org.orleans4j.messaging.MessagingOptions;

/**
 * A grain awaits other grains and then mutates plain (unsynchronized) fields. If a continuation
 * ran on the callee's thread, or beside another turn of the caller, increments would be lost or
 * the overlap detector would trip.
 */
class ContinuationContextTest {

    interface Counter extends GrainWithStringKey {
        CompletableFuture<Void> addFrom(long workerKey);

        CompletableFuture<long[]> totals();
    }

    interface Worker extends GrainWithLongKey {
        CompletableFuture<Long> value();
    }

    /** Reentrant on purpose: many requests are awaiting at once, so continuations pile up. */
    @Reentrant
    static class CounterGrain extends GrainBase implements Counter {
        private long count;
        private long sum;
        private int inside;
        private long overlaps;

        @Override
        public CompletableFuture<Void> addFrom(long workerKey) {
            return grainFactory()
                    .getGrain(Worker.class, workerKey)
                    .value()
                    .thenCompose(v -> grainFactory()
                            .getGrain(Worker.class, workerKey + 1)
                            .value()
                            .thenApply(w -> v + w))
                    .thenAccept(total -> {
                        if (++inside != 1) {
                            overlaps++;
                        }
                        long before = count;
                        Thread.onSpinWait();
                        count = before + 1;
                        sum += total;
                        inside--;
                    });
        }

        @Override
        public CompletableFuture<long[]> totals() {
            return CompletableFuture.completedFuture(new long[] {count, sum, overlaps});
        }
    }

    static class WorkerGrain extends GrainBase implements Worker {
        @Override
        public CompletableFuture<Long> value() {
            return CompletableFuture.completedFuture(primaryKeyLong());
        }
    }

    interface Ping extends GrainWithStringKey {
        CompletableFuture<String> ping(String other);

        CompletableFuture<String> pong();
    }

    /** Non-reentrant: A.ping(B) → B.ping(A) → A.pong() waits behind A.ping forever. */
    static class PingGrain extends GrainBase implements Ping {
        @Override
        public CompletableFuture<String> ping(String other) {
            return grainFactory().getGrain(Ping.class, other).pong();
        }

        @Override
        public CompletableFuture<String> pong() {
            return CompletableFuture.completedFuture("pong");
        }
    }

    private Silo silo;

    private void start(Duration responseTimeout) {
        silo = StandaloneSilos.start(b -> b.addGrainClass(CounterGrain.class)
                .addGrainClass(WorkerGrain.class)
                .addGrainClass(PingGrain.class)
                .messagingOptions(new MessagingOptions(responseTimeout)));
    }

    @AfterEach
    void stop() {
        silo.stop(Duration.ofSeconds(5));
    }

    @Test
    void continuationsOfGrainCallsRunOnTheCallersTurnUnderLoad() throws Exception {
        start(MessagingOptions.DEFAULT.responseTimeout());
        int callers = 4;
        int callsPerCaller = 5_000;
        Counter counter = silo.grainFactory().getGrain(Counter.class, "c");
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<CompletableFuture<?>> all = new ArrayList<>();
            AtomicInteger key = new AtomicInteger();
            List<java.util.concurrent.Future<?>> submitted = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<?>> mine = new ArrayList<>();
                    for (int i = 0; i < callsPerCaller; i++) {
                        mine.add(counter.addFrom(key.incrementAndGet() % 200));
                    }
                    synchronized (all) {
                        all.addAll(mine);
                    }
                }));
            }
            for (var f : submitted) {
                f.get();
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        long expectedSum = 0;
        for (int i = 1; i <= callers * callsPerCaller; i++) {
            long k = i % 200;
            expectedSum += k + k + 1;
        }
        long[] totals = counter.totals().join();
        assertThat(totals[2]).as("overlapping continuations").isZero();
        assertThat(totals[0]).as("count").isEqualTo((long) callers * callsPerCaller);
        assertThat(totals[1]).as("sum").isEqualTo(expectedSum);
    }

    @Test
    void callCycleBetweenNonReentrantGrainsFailsWithResponseTimeout() {
        start(Duration.ofMillis(500));
        Ping a = silo.grainFactory().getGrain(Ping.class, "a");
        // a.ping("b") -> b.pong() works: no cycle.
        assertThat(a.ping("b").join()).isEqualTo("pong");
        // a.ping("a") calls a.pong() while a is busy with ping: a deadlock only the timeout ends.
        assertThatThrownBy(() -> a.ping("a").join()).cause().isInstanceOf(ResponseTimeoutException.class);
    }
}
