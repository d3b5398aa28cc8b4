package org.orleans4j.catalog.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.orleans4j.catalog.ActivationStatistics;
import org.orleans4j.grain.DeactivationReason;

/** The counters behind {@link ActivationStatistics}, which the catalog moves as activations come and go. */
final class ActivationCounters implements ActivationStatistics {

    private final Map<String, AtomicInteger> live = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> created = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> collected = new ConcurrentHashMap<>();

    /** An activation of {@code grainType} was created. */
    void created(String grainType) {
        live.computeIfAbsent(grainType, t -> new AtomicInteger()).incrementAndGet();
        created.computeIfAbsent(grainType, t -> new LongAdder()).increment();
    }

    /** An activation of {@code grainType} was removed for {@code reason}. */
    void removed(String grainType, DeactivationReason reason) {
        AtomicInteger count = live.get(grainType);
        if (count != null) {
            count.decrementAndGet();
        }
        if (reason == DeactivationReason.IDLE) {
            collected.computeIfAbsent(grainType, t -> new LongAdder()).increment();
        }
    }

    @Override
    public Map<String, Integer> activationsByType() {
        Map<String, Integer> snapshot = new TreeMap<>();
        live.forEach((type, count) -> snapshot.put(type, Math.max(0, count.get())));
        return snapshot;
    }

    @Override
    public int activations(String grainType) {
        AtomicInteger count = live.get(grainType);
        return count == null ? 0 : Math.max(0, count.get());
    }

    @Override
    public Map<String, Long> createdByType() {
        return totals(created);
    }

    @Override
    public long createdCount(String grainType) {
        LongAdder adder = created.get(grainType);
        return adder == null ? 0 : adder.sum();
    }

    @Override
    public long collectedCount(String grainType) {
        LongAdder adder = collected.get(grainType);
        return adder == null ? 0 : adder.sum();
    }

    @Override
    public Map<String, Long> collectedByType() {
        return totals(collected);
    }

    private static Map<String, Long> totals(Map<String, LongAdder> counters) {
        Map<String, Long> snapshot = new TreeMap<>();
        counters.forEach((type, adder) -> snapshot.put(type, adder.sum()));
        return snapshot;
    }
}
