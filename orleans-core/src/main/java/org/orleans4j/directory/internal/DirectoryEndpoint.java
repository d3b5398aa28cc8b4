package org.orleans4j.directory.internal;

import static org.orleans4j.directory.internal.DirectoryRequests.hops;
import static org.orleans4j.directory.internal.DirectoryRequests.present;
import static org.orleans4j.directory.internal.DirectoryRequests.requireEntryOf;
import static org.orleans4j.directory.internal.DirectoryRequests.version;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;
import org.orleans4j.messaging.UnauthorizedRequestException;

/**
 * This silo's directory as one other silo may use it. The sender must be a live member (lookups
 * aside); an entry it registers or removes names itself, or, when another silo forwarded the operation,
 * a live member; a batch of registrations names the sender only; only silos the membership lists as Dead
 * may have all their entries dropped; a take-over gives the sender only entries it owns at the version
 * it names.
 */
final class DirectoryEndpoint implements RemoteGrainDirectory {

    private final DistributedGrainDirectory directory;
    private final SiloAddress sender;
    private final Predicate<SiloAddress> isLiveMember;
    private final Predicate<SiloAddress> isDead;

    DirectoryEndpoint(
            DistributedGrainDirectory directory,
            SiloAddress sender,
            Predicate<SiloAddress> isLiveMember,
            Predicate<SiloAddress> isDead) {
        this.directory = directory;
        this.sender = sender;
        this.isLiveMember = isLiveMember;
        this.isDead = isDead;
    }

    @Override
    public CompletableFuture<GrainAddress> register(
            GrainAddress address, @Nullable GrainAddress previous, long version, int hops) {
        present(address, "grain address");
        return asMember(version(version), () -> {
            requireEntryOf(sender, address.silo(), hops(hops) > 0, isLiveMember);
            return directory
                    .route(DirectoryOperation.register(address, previous), version, hops)
                    .thenApply(GrainAddress.class::cast);
        });
    }

    @Override
    public CompletableFuture<Void> unregister(GrainAddress address, long version, int hops) {
        present(address, "grain address");
        return asMember(version(version), () -> {
            requireEntryOf(sender, address.silo(), hops(hops) > 0, isLiveMember);
            return directory
                    .route(DirectoryOperation.unregister(address), version, hops)
                    .thenApply(ignored -> null);
        });
    }

    @Override
    public CompletableFuture<@Nullable GrainAddress> lookup(GrainId grainId, long version, int hops) {
        return directory
                .route(DirectoryOperation.lookup(present(grainId, "grain id")), version(version), hops(hops))
                .thenApply(GrainAddress.class::cast);
    }

    @Override
    public CompletableFuture<List<GrainAddress>> registerMany(List<GrainAddress> addresses, long version) {
        present(addresses, "list of grain addresses");
        return asMember(version(version), () -> {
            for (GrainAddress address : addresses) {
                requireEntryOf(sender, address.silo(), false, isLiveMember);
            }
            return directory.registerAll(addresses, version, 0);
        });
    }

    @Override
    public CompletableFuture<Void> unregisterSilos(List<SiloAddress> silos) {
        requireMember();
        for (SiloAddress silo : present(silos, "list of silos")) {
            if (!isDead.test(silo)) {
                throw new UnauthorizedRequestException("Silo " + sender + " asked to drop the directory entries of "
                        + silo + ", which the membership does not list as Dead");
            }
        }
        directory.dropSilos(silos);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Object> release(long version) {
        return asMember(version(version), () -> directory.release(sender, version));
    }

    /**
     * Runs {@code action} once the sender counts as a live member: if it does not yet, but has seen a newer
     * membership than this silo, after this silo caught up with it (a silo that just joined registers its
     * first activations before every owner has read that it joined).
     */
    private <T> CompletableFuture<T> asMember(long senderVersion, Supplier<CompletableFuture<T>> action) {
        CompletableFuture<Void> caughtUp;
        if (isLiveMember.test(sender) || (caughtUp = directory.caughtUpWith(senderVersion)).isDone()) {
            requireMember();
            return action.get();
        }
        return caughtUp.handle((done, error) -> null).thenCompose(ignored -> {
            requireMember();
            return action.get();
        });
    }

    private void requireMember() {
        if (!isLiveMember.test(sender)) {
            throw new UnauthorizedRequestException(
                    "Silo " + sender + " is not a live member of the cluster; it may not change the directory");
        }
    }
}
