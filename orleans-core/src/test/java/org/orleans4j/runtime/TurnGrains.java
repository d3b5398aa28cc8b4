package org.orleans4j.runtime;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.orleans4j.grain.AlwaysInterleave;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.OneWay;
import org.orleans4j.grain.ReadOnly;
import org.orleans4j.grain.Reentrant;

/**
 * Grains whose methods log "start:x" and "end:x" and complete when the test releases gate x, so a
 * test controls exactly which requests are in flight.
 */
final class TurnGrains {

    static final Queue<String> LOG = new ConcurrentLinkedQueue<>();
    static final Map<String, CompletableFuture<Void>> GATES = new ConcurrentHashMap<>();
    static final AtomicInteger ONE_WAY_CALLS = new AtomicInteger();

    private TurnGrains() {}

    static CompletableFuture<Void> gate(String name) {
        return GATES.computeIfAbsent(name, k -> new CompletableFuture<>());
    }

    static void release(String name) {
        gate(name).complete(null);
    }

    static List<String> log() {
        return List.copyOf(LOG);
    }

    static void reset() {
        LOG.clear();
        GATES.clear();
        ONE_WAY_CALLS.set(0);
    }

    interface Gated extends GrainWithStringKey {
        CompletableFuture<Void> work(String name);

        @ReadOnly
        CompletableFuture<Void> read(String name);

        @AlwaysInterleave
        CompletableFuture<Void> interleave(String name);

        @OneWay
        void fire(String name);
    }

    abstract static class AbstractGated extends GrainBase implements Gated {
        private CompletableFuture<Void> run(String name) {
            LOG.add("start:" + name);
            return resume(gate(name)).thenRun(() -> LOG.add("end:" + name));
        }

        @Override
        public CompletableFuture<Void> work(String name) {
            return run(name);
        }

        @Override
        public CompletableFuture<Void> read(String name) {
            return run(name);
        }

        @Override
        public CompletableFuture<Void> interleave(String name) {
            return run(name);
        }

        @Override
        public void fire(String name) {
            LOG.add("fire:" + name);
            ONE_WAY_CALLS.incrementAndGet();
        }
    }

    interface NonReentrantGated extends Gated {}

    static class NonReentrantGrain extends AbstractGated implements NonReentrantGated {}

    interface ReentrantGated extends Gated {}

    @Reentrant
    static class ReentrantGrain extends AbstractGated implements ReentrantGated {}
}
