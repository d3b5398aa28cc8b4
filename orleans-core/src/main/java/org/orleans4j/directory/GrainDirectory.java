package org.orleans4j.directory;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainId;

/**
 * Maps grain ids to their single activation. Registration is first-wins: {@link #register} returns
 * the address that holds the entry afterwards, which is the caller's only if it won.
 */
public interface GrainDirectory {

    CompletableFuture<GrainAddress> register(GrainAddress address);

    /** Removes the entry only if it still points at exactly this activation. */
    CompletableFuture<Void> unregister(GrainAddress address);

    /** The registered address, or {@code null}. */
    CompletableFuture<GrainAddress> lookup(GrainId grainId);
}
