package org.orleans4j.catalog;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.orleans4j.grain.DeactivationReason;

/**
 * Counts of this silo's activations per grain type, kept as activations come and go, so that
 * reading them (every second for placement statistics, on every metrics scrape or endpoint call)
 * costs a copy of a small map, never a scan of the activations.
 */
public final class ActivationStatistics {

    private final Map<String, AtomicInteger> live = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> created = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> collected = new ConcurrentHashMap<>();

    void created(String grainType) {
        live.computeIfAbsent(grainType, t -> new AtomicInteger()).incrementAndGet();
        created.computeIfAbsent(grainType, t -> new LongAdder()).increment();
    }

    void removed(String grainType, DeactivationReason reason) {
        AtomicInteger count = live.get(grainType);
        if (count != null) {
            count.decrementAndGet();
        }
        if (reason == DeactivationReason.IDLE) {
            collected.computeIfAbsent(grainType, t -> new LongAdder()).increment();
        }
    }

    /** Live activations per grain type name (types seen since start, zero included), sorted by name. */
    public Map<String, Integer> activationsByType() {
        Map<String, Integer> snapshot = new TreeMap<>();
        live.forEach((type, count) -> snapshot.put(type, Math.max(0, count.get())));
        return snapshot;
    }

    /** Live activations of one grain type. */
    public int activations(String grainType) {
        AtomicInteger count = live.get(grainType);
        return count == null ? 0 : Math.max(0, count.get());
    }

    /** Activations created since start, per grain type. */
    public Map<String, Long> createdByType() {
        return totals(created);
    }

    /** Activations of one grain type created since start. */
    public long createdCount(String grainType) {
        LongAdder adder = created.get(grainType);
        return adder == null ? 0 : adder.sum();
    }

    /** Activations of one grain type collected (deactivated because idle) since start. */
    public long collectedCount(String grainType) {
        LongAdder adder = collected.get(grainType);
        return adder == null ? 0 : adder.sum();
    }

    /** Activations deactivated because they were idle (collected) since start, per grain type. */
    public Map<String, Long> collectedByType() {
        return totals(collected);
    }

    private static Map<String, Long> totals(Map<String, LongAdder> counters) {
        Map<String, Long> snapshot = new TreeMap<>();
        counters.forEach((type, adder) -> snapshot.put(type, adder.sum()));
        return snapshot;
    }
}
