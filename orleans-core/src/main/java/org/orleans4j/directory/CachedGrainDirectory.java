package org.orleans4j.directory;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainId;
import org.orleans4j.runtime.SiloAddress;

/**
 * A shared grain directory outside the silos (a database, say) as a cluster's directory: lookups
 * are cached per silo, entries of dead silos are ignored and purged, and a registration that finds
 * a dead silo's entry replaces it.
 */
public final class CachedGrainDirectory implements GrainDirectory, GrainLocator {

    private final GrainDirectory store;
    private final SiloAddress localSilo;
    private final DirectoryCache cache;
    private volatile Set<SiloAddress> deadSilos = Set.of();

    public CachedGrainDirectory(GrainDirectory store, SiloAddress localSilo, int cacheSize) {
        this.store = store;
        this.localSilo = localSilo;
        this.cache = new DirectoryCache(cacheSize);
    }

    @Override
    public CompletableFuture<GrainAddress> register(GrainAddress address, GrainAddress previous) {
        return store.register(address, previous).thenCompose(winner -> winner != null && !winner.equals(address)
                && deadSilos.contains(winner.silo()) ? store.register(address, winner) : CompletableFuture.completedFuture(winner))
                .thenApply(this::remember);
    }

    @Override
    public CompletableFuture<Void> unregister(GrainAddress address) {
        cache.invalidate(address.grainId(), address);
        return store.unregister(address);
    }

    @Override
    public CompletableFuture<GrainAddress> lookup(GrainId grainId) {
        return store.lookup(grainId).thenApply(found -> found == null || deadSilos.contains(found.silo()) ? null
                : remember(found));
    }

    @Override
    public CompletableFuture<Void> unregisterSilos(Collection<SiloAddress> silos) {
        cache.removeSilos(silos);
        return store.unregisterSilos(silos);
    }

    private GrainAddress remember(GrainAddress address) {
        if (address != null && !address.silo().equals(localSilo) && !deadSilos.contains(address.silo())) {
            cache.put(address);
        }
        return address;
    }

    @Override
    public GrainAddress cached(GrainId grainId) {
        return cache.get(grainId);
    }

    @Override
    public void invalidate(GrainId grainId, GrainAddress stale) {
        cache.invalidate(grainId, stale);
    }

    @Override
    public void onMembershipChanged(Collection<SiloAddress> activeSilos, Set<SiloAddress> dead) {
        Set<SiloAddress> newlyDead = new java.util.HashSet<>(dead);
        newlyDead.removeAll(deadSilos);
        deadSilos = Set.copyOf(dead);
        cache.removeSilos(dead);
        if (!newlyDead.isEmpty()) {
            store.unregisterSilos(newlyDead);
        }
    }

    @Override
    public DirectoryCache cache() {
        return cache;
    }
}
