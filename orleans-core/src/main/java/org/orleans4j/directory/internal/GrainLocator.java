package org.orleans4j.directory.internal;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.directory.DirectoryCache;
import org.orleans4j.grain.GrainId;

/** What call routing needs of a cluster's grain directory: cached and fresh lookups, membership changes. */
public interface GrainLocator {

    /** The cached address of the grain's activation on another silo, or {@code null}. */
    default @Nullable GrainAddress cached(GrainId grainId) {
        return cache().get(grainId);
    }

    /** Drops a cached address that proved wrong ({@code null}: whatever is cached). */
    default void invalidate(GrainId grainId, @Nullable GrainAddress stale) {
        cache().invalidate(grainId, stale);
    }

    /** Asks the directory; {@code null} when the grain has no live activation. */
    CompletableFuture<@Nullable GrainAddress> lookup(GrainId grainId);

    /** The membership table has a new version. */
    void onMembershipChanged(DirectoryMembership membership);

    DirectoryCache cache();
}
