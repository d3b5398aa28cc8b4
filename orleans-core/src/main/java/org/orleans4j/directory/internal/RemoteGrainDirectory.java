package org.orleans4j.directory.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;

/**
 * The directory of another silo, as this one calls it (a typed system target). Operations on one
 * grain's entry carry the caller's membership version and how often other silos forwarded them already.
 */
public interface RemoteGrainDirectory {

    /** Registers {@code address} unless another activation holds the entry; the entry afterwards. */
    CompletableFuture<GrainAddress> register(
            GrainAddress address, @Nullable GrainAddress previous, long version, int hops);

    CompletableFuture<Void> unregister(GrainAddress address, long version, int hops);

    /** The grain's entry, or {@code null}. */
    CompletableFuture<@Nullable GrainAddress> lookup(GrainId grainId, long version, int hops);

    /** Registers the sender's own activations (its entries moved to this owner); the entries afterwards, in order. */
    CompletableFuture<List<GrainAddress>> registerMany(List<GrainAddress> addresses, long version);

    /** Drops the entries of silos the membership lists as Dead. */
    CompletableFuture<Void> unregisterSilos(List<SiloAddress> silos);

    /**
     * Gives up, for membership {@code version}, the entries of the ranges the sender owns there: a list of
     * the entries held and this silo's confirmed activations there, or a newer version (a {@code Long}) the
     * sender must catch up with first.
     */
    CompletableFuture<Object> release(long version);
}
