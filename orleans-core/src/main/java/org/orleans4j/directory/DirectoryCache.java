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

    /**
     * One cached address. A caller that calls the same grain again and again (through one grain reference,
     * say) may hold on to it and ask {@link #address(Route)} instead of looking the grain up: the entry
     * knows when it has left the cache.
     */
    public static final class Route {
        final GrainAddress address;
        final DirectoryCache cache;
        volatile long lastUse;
        /** Set once the entry is no longer the cache's (invalidated, replaced, evicted, its silo dead). */
        volatile boolean removed;

        Route(GrainAddress address, DirectoryCache cache, long tick) {
            this.address = address;
            this.cache = cache;
            this.lastUse = tick;
        }

        /** The address as cached; ask {@link DirectoryCache#address(Route)} whether it still is. */
        public GrainAddress address() {
            return address;
        }
    }

    private final SiloAddress localSilo;
    private final int maxSize;
    private volatile Set<SiloAddress> deadSilos = Set.of();
    private final ConcurrentHashMap<GrainId, Route> entries = new ConcurrentHashMap<>();
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
        Route route = route(grainId);
        return route == null ? null : route.address;
    }

    /** The cached entry of {@code grainId}, to hold for {@link #address(Route)}; {@code null} on a miss. */
    public @Nullable Route route(GrainId grainId) {
        Route route = entries.get(grainId);
        if (route == null) {
            misses.increment();
            return null;
        }
        hit(route);
        return route;
    }

    /**
     * The address of {@code route}, an entry {@link #route} gave, while it is still cached here; {@code null}
     * once it is not (look the grain up again then).
     */
    public @Nullable GrainAddress address(Route route) {
        if (route.removed || route.cache != this) {
            return null;
        }
        hit(route);
        return route.address;
    }

    private void hit(Route route) {
        hits.increment();
        long tick = clock.get();
        if (route.lastUse != tick) {
            route.lastUse = tick;
        }
    }

    public void put(GrainAddress address) {
        Route replaced = entries.put(address.grainId(), new Route(address, this, clock.incrementAndGet()));
        if (replaced != null) {
            replaced.removed = true;
        }
        if (entries.size() > maxSize) {
            evictOldest();
        }
    }

    /** Drops the cached address of {@code grainId}, if it is still {@code stale} (any, when null). */
    public void invalidate(GrainId grainId, @Nullable GrainAddress stale) {
        if (stale == null) {
            Route removed = entries.remove(grainId);
            if (removed != null) {
                removed.removed = true;
            }
        } else {
            entries.computeIfPresent(grainId, (id, route) -> {
                if (!route.address.equals(stale)) {
                    return route;
                }
                route.removed = true;
                return null;
            });
        }
    }

    public void removeSilos(Collection<SiloAddress> silos) {
        if (!silos.isEmpty()) {
            entries.forEach((grainId, route) -> {
                if (silos.contains(route.address.silo()) && entries.remove(grainId, route)) {
                    route.removed = true;
                }
            });
        }
    }

    private synchronized void evictOldest() {
        int excess = entries.size() - maxSize;
        if (excess <= 0) {
            return;
        }
        int toEvict = Math.max(excess, maxSize / 10);
        List<Map.Entry<GrainId, Route>> all = new ArrayList<>(entries.entrySet());
        all.sort((a, b) -> Long.compare(a.getValue().lastUse, b.getValue().lastUse));
        for (int i = 0; i < toEvict && i < all.size(); i++) {
            Route oldest = all.get(i).getValue();
            if (entries.remove(all.get(i).getKey(), oldest)) {
                oldest.removed = true;
            }
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
