package org.orleans4j.directory;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;

/**
 * Maps grain ids to their single activation. Registration is first-wins: {@link #register} returns
 * the address that holds the entry afterwards, which is the caller's only if it won.
 */
public interface GrainDirectory {

    default CompletableFuture<GrainAddress> register(GrainAddress address) {
        return register(address, null);
    }

    /**
     * Registers {@code address} if the grain has no entry, or if its entry is exactly
     * {@code previous} (replacing an activation known to be gone). Returns the entry afterwards.
     */
    CompletableFuture<GrainAddress> register(GrainAddress address, @Nullable GrainAddress previous);

    /** Removes the entry only if it still points at exactly this activation. */
    CompletableFuture<Void> unregister(GrainAddress address);

    /** The registered address, or {@code null}. */
    CompletableFuture<@Nullable GrainAddress> lookup(GrainId grainId);

    /** Removes every entry that points at one of these (dead) silos. */
    CompletableFuture<Void> unregisterSilos(Collection<SiloAddress> silos);
}
