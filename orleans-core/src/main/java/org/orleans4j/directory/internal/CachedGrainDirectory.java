package org.orleans4j.directory.internal;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.directory.DirectoryCache;
import org.orleans4j.directory.GrainDirectory;
import org.orleans4j.grain.GrainId;

/**
 * A shared grain directory outside the silos (a database, say) as a cluster's directory: lookups
 * are cached per silo, entries of dead silos are ignored and purged, and a registration that finds
 * a dead silo's entry replaces it.
 */
public final class CachedGrainDirectory implements GrainDirectory, GrainLocator {

    private final GrainDirectory store;
    private final DirectoryCache cache;

    public CachedGrainDirectory(GrainDirectory store, SiloAddress localSilo, int cacheSize) {
        this.store = store;
        this.cache = new DirectoryCache(localSilo, cacheSize);
    }

    @Override
    public CompletableFuture<GrainAddress> register(GrainAddress address, @Nullable GrainAddress previous) {
        return store.register(address, previous)
                .thenCompose(winner -> winner != null && !winner.equals(address) && cache.isDead(winner.silo())
                        ? store.register(address, winner)
                        : CompletableFuture.completedFuture(winner))
                .thenApply(cache::remember);
    }

    @Override
    public CompletableFuture<Void> unregister(GrainAddress address) {
        cache.invalidate(address.grainId(), address);
        return store.unregister(address);
    }

    @Override
    public CompletableFuture<@Nullable GrainAddress> lookup(GrainId grainId) {
        return store.lookup(grainId)
                .thenApply(found -> found == null || cache.isDead(found.silo()) ? null : cache.remember(found));
    }

    @Override
    public CompletableFuture<Void> unregisterSilos(Collection<SiloAddress> silos) {
        cache.removeSilos(silos);
        return store.unregisterSilos(silos);
    }

    @Override
    public void onMembershipChanged(DirectoryMembership membership) {
        Set<SiloAddress> dead = membership.dead();
        Set<SiloAddress> newlyDead = new java.util.HashSet<>(dead);
        newlyDead.removeIf(cache::isDead);
        cache.deadSilos(dead);
        if (!newlyDead.isEmpty()) {
            store.unregisterSilos(newlyDead);
        }
    }

    @Override
    public DirectoryCache cache() {
        return cache;
    }
}
