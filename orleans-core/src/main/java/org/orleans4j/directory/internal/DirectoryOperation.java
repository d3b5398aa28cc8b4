package org.orleans4j.directory.internal;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.grain.GrainId;

/**
 * One operation on one grain's directory entry (register, unregister, lookup), applied by the entry's
 * owner or sent on to it with the sender's membership version and hop count. Every one is idempotent,
 * so sending it again to a newer owner does no harm.
 */
record DirectoryOperation(
        Kind kind,
        GrainId grainId,
        @Nullable GrainAddress address,
        @Nullable GrainAddress previous) {

    enum Kind {
        REGISTER,
        UNREGISTER,
        LOOKUP
    }

    static DirectoryOperation register(GrainAddress address, @Nullable GrainAddress previous) {
        return new DirectoryOperation(Kind.REGISTER, address.grainId(), address, previous);
    }

    static DirectoryOperation unregister(GrainAddress address) {
        return new DirectoryOperation(Kind.UNREGISTER, address.grainId(), address, null);
    }

    static DirectoryOperation lookup(GrainId grainId) {
        return new DirectoryOperation(Kind.LOOKUP, grainId, null, null);
    }

    /** Sends the operation to the owner {@code remote}; its result, like {@link #applyTo}'s. */
    CompletableFuture<@Nullable Object> sendTo(RemoteGrainDirectory remote, long version, int hops) {
        return switch (kind) {
            case REGISTER -> remote.register(address, previous, version, hops).thenApply(winner -> winner);
            case UNREGISTER -> remote.unregister(address, version, hops).thenApply(ignored -> null);
            case LOOKUP -> remote.lookup(grainId, version, hops).thenApply(found -> found);
        };
    }

    @Nullable
    Object applyTo(DirectoryPartition partition) {
        return switch (kind) {
            case REGISTER -> partition.register(address, previous);
            case UNREGISTER -> {
                partition.unregister(address);
                yield null;
            }
            case LOOKUP -> partition.lookup(grainId);
        };
    }
}
