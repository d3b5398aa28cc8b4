package org.orleans4j.directory.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.directory.DirectoryCache;
import org.orleans4j.directory.GrainDirectory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.SiloUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grain directory as a distributed hash table over the Active silos ({@link DirectoryRing}), with
 * one answer per grain at every moment, not only once the silos agree on the membership.
 * <ul>
 * <li>Every operation goes to the owner of the grain in the <em>caller's</em> view and carries that
 * view's membership version. A receiver that is behind reads the table first ({@link MembershipCatchUp});
 * one that is not the owner in its own view forwards the operation to the owner there (at most
 * {@link #MAX_HOPS} hops). Silos with the same version compute the same owner.</li>
 * <li>A silo answers for a grain only in its current view, and only once it holds the entries of the
 * range: when a view gives it a range, it first asks every Active or ShuttingDown silo to give up that
 * range for this version ({@link #RELEASE}); each first reaches this version itself (so it forwards
 * instead of answering from then on) and then hands over the entries it holds and its own confirmed
 * activations there (recovery of entries a dead owner took with it). Operations on the range wait until
 * then ({@link DirectoryView#ready()}). A holder that is already at a newer version refuses, and the
 * requester catches up instead of answering at the old one.</li>
 * <li>An activation runs only after its owner confirmed the registration (see {@code ActivationData});
 * when ownership of its entry moves, its silo registers it again with the new owner, and an activation
 * that lost (a duplicate left by an owner that died with its entries) deactivates.</li>
 * </ul>
 * The rules of who may do what are those of {@link DirectoryEndpoint}.
 */
public final class DistributedGrainDirectory implements GrainDirectory, GrainLocator {

    private static final Logger log = LoggerFactory.getLogger(DistributedGrainDirectory.class);

    /**
     * Forwards of one operation between silos whose views differ: the caller's owner forwards to its own
     * owner, who is the owner once both read the same version; one more covers a view that changed meanwhile.
     */
    static final int MAX_HOPS = 3;
    /** The hop count of an operation that starts on this silo: it goes out with 0, each forward adds one. */
    private static final int ORIGIN = -1;
    /** Pause between take-over requests to a holder that did not answer. */
    private static final long RETRY_MILLIS = 200;

    private final SiloAddress localSilo;
    private final Function<SiloAddress, RemoteGrainDirectory> remotes;
    private final DirectoryPartition partition;
    private final DirectoryCache cache;
    private final LocalActivations activations;
    private final MembershipCatchUp catchUp;
    private final Executor executor;
    private final long handoverTimeoutNanos;
    private volatile DirectoryView view;
    /**
     * Operations on the partition hold the read lock and check that their view is still current; a new
     * view is installed under the write lock, so no operation of an older view lands after it.
     */
    private final ReentrantReadWriteLock viewLock = new ReentrantReadWriteLock();

    /**
     * @param refreshMembership reads the membership table now; the view reaches {@link #onMembershipChanged}
     *         before the future completes
     * @param executor runs continuations (never an I/O thread)
     * @param handoverTimeout how long a take-over waits for a holder that does not answer before it goes
     *         on without it (a silo that answers nobody is declared dead by the membership meanwhile)
     */
    public DistributedGrainDirectory(
            SiloAddress localSilo,
            Function<SiloAddress, RemoteGrainDirectory> remotes,
            int cacheSize,
            LocalActivations activations,
            Supplier<? extends CompletableFuture<?>> refreshMembership,
            Executor executor,
            Duration handoverTimeout) {
        this.localSilo = localSilo;
        this.remotes = remotes;
        this.cache = new DirectoryCache(localSilo, cacheSize);
        this.activations = activations;
        this.executor = executor;
        this.handoverTimeoutNanos = handoverTimeout.toNanos();
        this.partition = new DirectoryPartition(cache::isDead);
        this.view = DirectoryView.initial(localSilo);
        this.catchUp = new MembershipCatchUp(refreshMembership, () -> view.version(), localSilo.toString());
    }

    // ---- GrainDirectory ------------------------------------------------------------------------

    @Override
    public CompletableFuture<GrainAddress> register(GrainAddress address, @Nullable GrainAddress previous) {
        return route(DirectoryOperation.register(address, previous), view.version(), ORIGIN)
                .thenApply(winner -> cache.remember((GrainAddress) winner));
    }

    @Override
    public CompletableFuture<Void> unregister(GrainAddress address) {
        cache.invalidate(address.grainId(), address);
        if (view.ring().size() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        return route(DirectoryOperation.unregister(address), view.version(), ORIGIN)
                .thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<@Nullable GrainAddress> lookup(GrainId grainId) {
        return route(DirectoryOperation.lookup(grainId), view.version(), ORIGIN)
                .thenApply(found -> cache.remember((GrainAddress) found));
    }

    /** Every owner drops the entries of these silos (owners also do so by themselves when the membership says they died). */
    @Override
    public CompletableFuture<Void> unregisterSilos(Collection<SiloAddress> silos) {
        partition.removeSilos(silos);
        cache.removeSilos(silos);
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (SiloAddress owner : view.ring().members()) {
            if (!owner.equals(localSilo)) {
                calls.add(remotes.apply(owner).unregisterSilos(List.copyOf(silos)));
            }
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    @Override
    public DirectoryCache cache() {
        return cache;
    }

    // ---- routing ---------------------------------------------------------------------------------

    /**
     * Runs {@code operation} where its grain's owner is: here if this silo owns it in its current view
     * (after catching up with {@code callerVersion}, and after taking the range over), else at the owner
     * in this silo's view. {@code hops}: how often other silos forwarded it ({@link #ORIGIN} if it starts here).
     */
    CompletableFuture<@Nullable Object> route(DirectoryOperation operation, long callerVersion, int hops) {
        DirectoryView current = view;
        if (callerVersion > current.version()) {
            return catchUp.atLeast(callerVersion)
                    .thenComposeAsync(caughtUp -> route(operation, callerVersion, hops), executor);
        }
        SiloAddress owner = current.ring().owner(operation.grainId());
        if (owner == null) {
            return CompletableFuture.failedFuture(new SiloUnavailableException("No Active silo owns the directory"
                    + " entry of " + operation.grainId() + " in the view of silo " + localSilo
                    + " (has it joined the cluster?)"));
        }
        if (!owner.equals(localSilo)) {
            if (hops >= MAX_HOPS) {
                return CompletableFuture.failedFuture(new SiloUnavailableException("The directory entry of "
                        + operation.grainId() + " was forwarded " + hops + " times between silos whose membership views"
                        + " differ; retry once they read the table"));
            }
            return operation
                    .sendTo(remotes.apply(owner), current.version(), hops + 1)
                    .exceptionallyCompose(failure -> ownerGone(failure, operation, current, callerVersion, hops));
        }
        if (current.gained(operation.grainId()) && !current.ready().isDone()) {
            return current.ready().thenComposeAsync(takenOver -> route(operation, callerVersion, hops), executor);
        }
        viewLock.readLock().lock();
        try {
            if (view == current) {
                return CompletableFuture.completedFuture(operation.applyTo(partition));
            }
        } finally {
            viewLock.readLock().unlock();
        }
        return route(operation, callerVersion, hops); // a newer view arrived meanwhile
    }

    /**
     * The owner of {@code viewed} could not be reached (it stopped, died, or was declared dead meanwhile):
     * once this silo reads a newer membership, the operation goes to the owner there (every operation is
     * idempotent, so it does no harm if the first owner did apply it). Without a newer membership within
     * the catch-up's bound, the failure stands.
     */
    private CompletableFuture<@Nullable Object> ownerGone(
            Throwable failure, DirectoryOperation operation, DirectoryView viewed, long callerVersion, int hops) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (!(cause instanceof SiloUnavailableException)) {
            return CompletableFuture.failedFuture(cause);
        }
        Throwable unreachable = cause;
        return catchUp.atLeast(viewed.version() + 1)
                .handleAsync(
                        (caughtUp, error) -> error == null
                                ? route(operation, callerVersion, hops)
                                : CompletableFuture.<@Nullable Object>failedFuture(unreachable),
                        executor)
                .thenCompose(next -> next);
    }

    // ---- the owner's side, called by other silos ---------------------------------------------

    /**
     * This silo's directory as {@code sender} may use it (the rules are those of {@link DirectoryEndpoint}),
     * with the membership's view of who is a live member and who is Dead.
     */
    public RemoteGrainDirectory endpointFor(
            SiloAddress sender, Predicate<SiloAddress> isLiveMember, Predicate<SiloAddress> isDead) {
        return new DirectoryEndpoint(this, sender, isLiveMember, isDead);
    }

    /**
     * Completes once this silo's view is at {@code callerVersion} or later (at once if it is): a silo that
     * joined a moment ago is a live member only once this one has read the version that lists it.
     */
    CompletableFuture<Void> caughtUpWith(long callerVersion) {
        return callerVersion > view.version()
                ? catchUp.atLeast(callerVersion)
                : CompletableFuture.completedFuture(null);
    }

    /** Drops every entry of these silos, here and in the cache. */
    void dropSilos(Collection<SiloAddress> silos) {
        partition.removeSilos(silos);
        cache.removeSilos(silos);
    }

    /** Registers each address with its owner (forwarded when that is not this silo); the entries afterwards, in order. */
    CompletableFuture<List<GrainAddress>> registerAll(List<GrainAddress> addresses, long callerVersion, int hops) {
        List<CompletableFuture<@Nullable Object>> winners = new ArrayList<>(addresses.size());
        for (GrainAddress address : addresses) {
            winners.add(route(DirectoryOperation.register(address, null), callerVersion, hops));
        }
        return CompletableFuture.allOf(winners.toArray(CompletableFuture[]::new))
                .thenApply(done -> new ArrayList<>(winners.stream()
                        .map(winner -> (GrainAddress) winner.join())
                        .toList()));
    }

    /**
     * A silo that gained ranges at {@code version} asks for their entries. This silo first reaches that
     * version (from then on it forwards operations on those ranges), lets its own earlier take-overs land,
     * and then gives up the entries it holds there plus its confirmed activations there. A silo already
     * at a newer version answers with that version instead: the requester must catch up.
     */
    CompletableFuture<Object> release(SiloAddress requester, long version) {
        DirectoryView current = view;
        if (version > current.version()) {
            return catchUp.atLeast(version).thenComposeAsync(caughtUp -> release(requester, version), executor);
        }
        if (version < current.version()) {
            return CompletableFuture.completedFuture(current.version());
        }
        return current.priorSettled().thenApplyAsync(landed -> handOver(requester, current), executor);
    }

    private Object handOver(SiloAddress requester, DirectoryView released) {
        viewLock.readLock().lock();
        try {
            if (view != released) {
                return view.version();
            }
            Predicate<GrainId> theirs = id -> requester.equals(released.ring().owner(id));
            List<GrainAddress> entries = partition.take(theirs);
            List<GrainAddress> confirmed = new ArrayList<>();
            for (GrainAddress address : activations.confirmed()) {
                if (theirs.test(address.grainId())) {
                    confirmed.add(address);
                }
            }
            if (!entries.isEmpty()) {
                log.debug(
                        "Silo {} hands {} directory entries to {} at membership version {}",
                        localSilo,
                        entries.size(),
                        requester,
                        released.version());
            }
            return List.of(new ArrayList<>(entries), confirmed);
        } finally {
            viewLock.readLock().unlock();
        }
    }

    // ---- membership ------------------------------------------------------------------------------

    /**
     * A new membership version: installs its view (operations of older views re-route), drops what points
     * at dead silos, takes over the ranges this silo gained, and registers this silo's activations whose
     * owner moved with their new owner.
     */
    @Override
    public void onMembershipChanged(DirectoryMembership membership) {
        DirectoryView previous;
        DirectoryView next;
        synchronized (this) {
            previous = view;
            if (membership.version() <= previous.version()) {
                return;
            }
            cache.deadSilos(membership.dead());
            partition.removeSilos(membership.dead());
            next = DirectoryView.next(previous, membership, localSilo);
            viewLock.writeLock().lock();
            try {
                view = next;
            } finally {
                viewLock.writeLock().unlock();
            }
        }
        previous.ready().complete(null); // replaced: its waiting operations route again in the new view
        takeOver(next);
        registerMoved(previous.ring(), next);
    }

    private void takeOver(DirectoryView gaining) {
        if (!gaining.gainsAnything()) {
            taken(gaining);
            gaining.settled().complete(null);
            return;
        }
        long deadline = System.nanoTime() + handoverTimeoutNanos;
        List<CompletableFuture<Boolean>> pulls = new ArrayList<>();
        for (SiloAddress holder : gaining.holders()) {
            pulls.add(pull(gaining, holder, deadline));
        }
        CompletableFuture.allOf(pulls.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> {
            gaining.settled().complete(null);
            if (pulls.stream().allMatch(pull -> Boolean.TRUE.equals(pull.getNow(false)))) {
                taken(gaining);
            }
        });
    }

    /** The take-over of {@code gaining} is complete: if it is still the current view, its gained ranges are answered. */
    private void taken(DirectoryView gaining) {
        synchronized (this) {
            if (view == gaining) {
                gaining.markAcquired();
            }
        }
        gaining.ready().complete(null);
    }

    /**
     * Asks {@code holder} for the entries of the ranges gained in {@code gaining}, again until the deadline;
     * {@code true} once they are stored (or the holder is given up on at the deadline), {@code false} when a
     * newer view replaced this one first.
     */
    private CompletableFuture<Boolean> pull(DirectoryView gaining, SiloAddress holder, long deadline) {
        if (view != gaining) {
            return CompletableFuture.completedFuture(false);
        }
        return remotes.apply(holder)
                .release(gaining.version())
                .handle((answer, error) -> {
                    if (error == null && answer instanceof List<?> parts && parts.size() == 2) {
                        store(gaining, holder, parts.get(0), parts.get(1));
                        return true;
                    }
                    if (error == null && answer instanceof Long newer) {
                        // The holder is ahead: catching up replaces this view, whose take-over then stops.
                        catchUp.atLeast(newer);
                    } else {
                        log.debug(
                                "Silo {} could not take directory entries over from {}: {}",
                                localSilo,
                                holder,
                                error == null ? "malformed answer" : error.toString());
                    }
                    return false;
                })
                .thenComposeAsync(
                        stored -> {
                            if (stored) {
                                return CompletableFuture.completedFuture(true);
                            }
                            if (view != gaining) {
                                return CompletableFuture.completedFuture(false);
                            }
                            if (System.nanoTime() - deadline > 0) {
                                log.warn(
                                        "Silo {} gave up taking the directory entries of its new ranges (membership version {}) over"
                                                + " from silo {} after {} ms; it answers for them without them",
                                        localSilo,
                                        gaining.version(),
                                        holder,
                                        TimeUnit.NANOSECONDS.toMillis(handoverTimeoutNanos));
                                return CompletableFuture.completedFuture(true);
                            }
                            return CompletableFuture.supplyAsync(
                                            () -> null,
                                            CompletableFuture.delayedExecutor(
                                                    RETRY_MILLIS, TimeUnit.MILLISECONDS, executor))
                                    .thenCompose(waited -> pull(gaining, holder, deadline));
                        },
                        executor);
    }

    /**
     * Stores what {@code holder} handed over: first the entries it held (the registrations it answered),
     * then its confirmed activations (entries whose owner died with them). Only entries of ranges this silo
     * gained, naming members of the view; activations must be the holder's own.
     */
    private void store(DirectoryView gaining, SiloAddress holder, Object entries, Object confirmed) {
        int conflicts = 0;
        for (Object element : entries instanceof List<?> list ? list : List.of()) {
            if (element instanceof GrainAddress address
                    && gaining.gained(address.grainId())
                    && gaining.isMember(address.silo())
                    && !partition.adopt(address).equals(address)) {
                conflicts++;
            }
        }
        for (Object element : confirmed instanceof List<?> list ? list : List.of()) {
            if (element instanceof GrainAddress address
                    && address.silo().equals(holder)
                    && gaining.gained(address.grainId())
                    && !partition.adopt(address).equals(address)) {
                conflicts++;
            }
        }
        if (conflicts > 0) {
            log.warn(
                    "Silo {} took over {} directory entries from {} that conflict with entries it had (two activations"
                            + " of one grain after an owner died); the first stays and the others deactivate when re-registered",
                    localSilo,
                    conflicts,
                    holder);
        }
    }

    /** Registers this silo's activations whose owner moved with their new owner; a lost registration is a duplicate. */
    private void registerMoved(DirectoryRing before, DirectoryView now) {
        if (now.ring().size() == 0) {
            return;
        }
        Map<SiloAddress, List<GrainAddress>> byOwner = new HashMap<>();
        for (GrainAddress address : activations.registering()) {
            SiloAddress owner = now.ring().owner(address.grainId());
            if (!Objects.equals(before.owner(address.grainId()), owner)) {
                byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(address);
            }
        }
        byOwner.forEach((owner, addresses) -> {
            CompletableFuture<List<GrainAddress>> winners = owner.equals(localSilo)
                    ? registerAll(addresses, now.version(), ORIGIN)
                    : remotes.apply(owner).registerMany(List.copyOf(addresses), now.version());
            winners.whenComplete((result, error) -> {
                if (error != null || result.size() != addresses.size()) {
                    log.warn(
                            "Silo {} could not register {} activations with their new directory owner {}: {}",
                            localSilo,
                            addresses.size(),
                            owner,
                            error == null ? "malformed answer" : error.toString());
                    return;
                }
                for (int i = 0; i < addresses.size(); i++) {
                    if (!addresses.get(i).equals(result.get(i))) {
                        log.info(
                                "Activation {} of {} is a duplicate of {}; deactivating it",
                                addresses.get(i).activationId(),
                                addresses.get(i).grainId(),
                                result.get(i));
                        activations.duplicate(addresses.get(i));
                    }
                }
            });
        });
    }

    /**
     * For a silo that stopped owning ranges (ShuttingDown): completes once the new owners took every entry
     * it held, or at once when no silo owns a range any more (the last silo of the cluster is leaving: its
     * entries have nobody to go to). Callers bound the wait; a silo that leaves earlier leaves the rest to
     * their recovery.
     */
    public CompletableFuture<Void> handedOver() {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        checkDrained(drained);
        return drained;
    }

    private void checkDrained(CompletableFuture<Void> drained) {
        DirectoryRing ring = view.ring();
        if (partition.size() == 0 || ring.size() == 0 || ring.contains(localSilo)) {
            drained.complete(null);
        } else if (!drained.isDone()) {
            CompletableFuture.delayedExecutor(RETRY_MILLIS / 4, TimeUnit.MILLISECONDS, executor)
                    .execute(() -> checkDrained(drained));
        }
    }

    // ---- diagnostics -------------------------------------------------------------------------------

    /** Silos that own ranges of the directory in this silo's view (for tests and diagnostics). */
    public int ringSize() {
        return view.ring().size();
    }

    /** The membership version of this silo's directory view (for tests and diagnostics). */
    public long viewVersion() {
        return view.version();
    }

    /** Whether this silo took over every range it owns in its current view (for tests and diagnostics). */
    public boolean isReady() {
        return view.ready().isDone();
    }

    /** Entries this silo holds now (for tests and diagnostics). */
    public int partitionSize() {
        return partition.size();
    }
}
