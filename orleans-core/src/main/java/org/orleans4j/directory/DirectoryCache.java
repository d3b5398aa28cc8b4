package org.orleans4j.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;

/**
 * A silo's cache of directory lookups, bounded and approximately least-recently-used: each hit
 * stamps its entry with a tick (no lock, no reordering), and when the cache outgrows its bound the
 * oldest tenth is evicted in one pass, so eviction costs O(1) per insert on average.
 */
public final class DirectoryCache {

    private static final class Entry {
        final GrainAddress address;
        volatile long lastUse;

        Entry(GrainAddress address, long tick) {
            this.address = address;
            this.lastUse = tick;
        }
    }

    private final SiloAddress localSilo;
    private final int maxSize;
    private volatile Set<SiloAddress> deadSilos = Set.of();
    private final ConcurrentHashMap<GrainId, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** A cache of the addresses of activations on silos other than {@code localSilo}. */
    public DirectoryCache(SiloAddress localSilo, int maxSize) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("directory cache size must be at least 1, was " + maxSize);
        }
        this.localSilo = localSilo;
        this.maxSize = maxSize;
    }

    /**
     * Caches an answer of the directory if it names an activation on another live silo (calls to
     * those then skip the directory); returns it either way.
     */
    public @Nullable GrainAddress remember(@Nullable GrainAddress address) {
        if (address != null && !address.silo().equals(localSilo) && !deadSilos.contains(address.silo())) {
            put(address);
        }
        return address;
    }

    /** The silos the membership declared dead: their entries go, and none are cached again. */
    public void deadSilos(Set<SiloAddress> dead) {
        deadSilos = Set.copyOf(dead);
        removeSilos(dead);
    }

    public boolean isDead(SiloAddress silo) {
        return deadSilos.contains(silo);
    }

    public @Nullable GrainAddress get(GrainId grainId) {
        Entry entry = entries.get(grainId);
        if (entry == null) {
            misses.increment();
            return null;
        }
        hits.increment();
        long tick = clock.get();
        if (entry.lastUse != tick) {
            entry.lastUse = tick;
        }
        return entry.address;
    }

    public void put(GrainAddress address) {
        entries.put(address.grainId(), new Entry(address, clock.incrementAndGet()));
        if (entries.size() > maxSize) {
            evictOldest();
        }
    }

    /** Drops the cached address of {@code grainId}, if it is still {@code stale} (any, when null). */
    public void invalidate(GrainId grainId, @Nullable GrainAddress stale) {
        if (stale == null) {
            entries.remove(grainId);
        } else {
            entries.computeIfPresent(grainId, (id, entry) -> entry.address.equals(stale) ? null : entry);
        }
    }

    public void removeSilos(Collection<SiloAddress> silos) {
        if (!silos.isEmpty()) {
            entries.values().removeIf(entry -> silos.contains(entry.address.silo()));
        }
    }

    private synchronized void evictOldest() {
        int excess = entries.size() - maxSize;
        if (excess <= 0) {
            return;
        }
        int toEvict = Math.max(excess, maxSize / 10);
        List<Map.Entry<GrainId, Entry>> all = new ArrayList<>(entries.entrySet());
        all.sort((a, b) -> Long.compare(a.getValue().lastUse, b.getValue().lastUse));
        for (int i = 0; i < toEvict && i < all.size(); i++) {
            entries.remove(all.get(i).getKey(), all.get(i).getValue());
        }
    }

    public int size() {
        return entries.size();
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }
}
