package org.orleans4j.directory;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;

/** The directory of a single silo: every entry is owned locally. */
public final class InMemoryGrainDirectory implements GrainDirectory {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final ConcurrentHashMap<GrainId, GrainAddress> entries = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<GrainAddress> register(GrainAddress address, @Nullable GrainAddress previous) {
        GrainAddress result = entries.compute(
                address.grainId(), (id, current) -> current == null || current.equals(previous) ? address : current);
        return CompletableFuture.completedFuture(result);
    }

    @Override
    public CompletableFuture<Void> unregister(GrainAddress address) {
        entries.remove(address.grainId(), address);
        return DONE;
    }

    @Override
    public CompletableFuture<@Nullable GrainAddress> lookup(GrainId grainId) {
        return CompletableFuture.completedFuture(entries.get(grainId));
    }

    @Override
    public CompletableFuture<Void> unregisterSilos(Collection<SiloAddress> silos) {
        entries.values().removeIf(address -> silos.contains(address.silo()));
        return DONE;
    }

    public int size() {
        return entries.size();
    }
}
