package org.orleans4j.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.runtime.SiloAddress;
import org.orleans4j.messaging.UnauthorizedRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grain directory as a distributed hash table over the Active silos ({@link DirectoryRing}):
 * each entry lives on the silo that owns its grain's hash; other silos ask the owner and cache the
 * answer. On a membership change, entries of dead silos are dropped, entries this silo no longer
 * owns are handed to their new owner, and this silo re-registers its own activations whose owner
 * changed; an activation that loses such a registration to another is a duplicate and deactivates,
 * which keeps one activation per grain across the cluster.
 * <p>
 * A silo that stops gracefully hands its partition to the silos that will own it <em>before</em> the
 * table says it is ShuttingDown ({@link #handOff}); from then on it forwards every directory request
 * that still reaches it (from silos that have not seen the change yet) to the new owner, so there is
 * one place that answers for each entry throughout, and no caller is told "not registered" for a grain
 * that is active.
 */
public final class DistributedGrainDirectory implements GrainDirectory, GrainLocator {

    private static final Logger log = LoggerFactory.getLogger(DistributedGrainDirectory.class);

    /** Operations of the directory's system target, in messages between silos. */
    public static final int REGISTER = 1;
    public static final int UNREGISTER = 2;
    public static final int LOOKUP = 3;
    public static final int REGISTER_MANY = 4;
    public static final int UNREGISTER_SILOS = 5;
    /** Flag on an operation that a leaving silo forwarded: the receiver answers from its own partition. */
    static final int FORWARDED = 0x100;
    /** What {@link #inOwnPartition} returns once the partition was handed off. */
    private static final Object HANDED_OFF = new Object();

    /** Calls the directory of another silo. */
    @FunctionalInterface
    public interface Transport {
        CompletableFuture<Object> call(SiloAddress silo, int operation, Object[] args);
    }

    private final SiloAddress localSilo;
    private final Transport transport;
    private final DirectoryPartition partition;
    private final DirectoryCache cache;
    private final Supplier<List<GrainAddress>> localActivations;
    private final Consumer<GrainAddress> onDuplicate;
    private volatile DirectoryRing ring = DirectoryRing.EMPTY;
    /**
     * Set by {@link #handOff}: this silo is leaving, owns nothing and forwards what reaches it. The read
     * lock covers each request's check of this flag and its use of the partition; the hand-off takes the
     * write lock, so no request lands in the partition after it was emptied.
     */
    private volatile boolean leaving;
    private final ReentrantReadWriteLock handOffLock = new ReentrantReadWriteLock();

    /**
     * @param localActivations this silo's registered activations (re-registered when their owner changes)
     * @param onDuplicate called with a local activation that lost its registration to another
     */
    public DistributedGrainDirectory(SiloAddress localSilo, Transport transport, int cacheSize,
            Supplier<List<GrainAddress>> localActivations, Consumer<GrainAddress> onDuplicate) {
        this.localSilo = localSilo;
        this.transport = transport;
        this.cache = new DirectoryCache(localSilo, cacheSize);
        this.localActivations = localActivations;
        this.onDuplicate = onDuplicate;
        this.partition = new DirectoryPartition(cache::isDead);
    }

    // ---- GrainDirectory ------------------------------------------------------------------------

    @Override
    public CompletableFuture<GrainAddress> register(GrainAddress address, GrainAddress previous) {
        SiloAddress owner;
        try {
            owner = ownerOf(address.grainId());
        } catch (GrainException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (owner.equals(localSilo)) {
            Object winner = inOwnPartition(() -> cache.remember(partition.register(address, previous)));
            // Handed off meanwhile: the ring names the new owner now.
            return winner == HANDED_OFF ? register(address, previous)
                    : CompletableFuture.completedFuture((GrainAddress) winner);
        }
        return transport.call(owner, REGISTER, new Object[] {address, previous})
                .thenApply(winner -> cache.remember((GrainAddress) winner));
    }

    @Override
    public CompletableFuture<Void> unregister(GrainAddress address) {
        cache.invalidate(address.grainId(), address);
        SiloAddress owner = ring.owner(address.grainId());
        if (owner == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (owner.equals(localSilo)) {
            Object done = inOwnPartition(() -> {
                partition.unregister(address);
                return null;
            });
            return done == HANDED_OFF ? unregister(address) : CompletableFuture.completedFuture(null);
        }
        return transport.call(owner, UNREGISTER, new Object[] {address}).thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<GrainAddress> lookup(GrainId grainId) {
        SiloAddress owner;
        try {
            owner = ownerOf(grainId);
        } catch (GrainException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (owner.equals(localSilo)) {
            Object found = inOwnPartition(() -> partition.lookup(grainId));
            return found == HANDED_OFF ? lookup(grainId) : CompletableFuture.completedFuture((GrainAddress) found);
        }
        return transport.call(owner, LOOKUP, new Object[] {grainId})
                .thenApply(found -> cache.remember((GrainAddress) found));
    }

    /** Every owner drops the entries of these silos (owners also do so by themselves when the membership says they died). */
    @Override
    public CompletableFuture<Void> unregisterSilos(Collection<SiloAddress> silos) {
        partition.removeSilos(silos);
        cache.removeSilos(silos);
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (SiloAddress owner : ring.members()) {
            if (!owner.equals(localSilo)) {
                calls.add(transport.call(owner, UNREGISTER_SILOS, new Object[] {List.copyOf(silos)}));
            }
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    private SiloAddress ownerOf(GrainId grainId) {
        SiloAddress owner = ring.owner(grainId);
        if (owner == null) {
            throw new SiloUnavailableException("No Active silo owns the directory entry of " + grainId
                    + " (has this silo joined the cluster?)");
        }
        return owner;
    }

    // ---- cache, for the dispatcher --------------------------------------------------------------

    @Override
    public DirectoryCache cache() {
        return cache;
    }

    // ---- the owner's side, called by other silos ---------------------------------------------

    /**
     * Runs an operation {@code sender} asked of this silo's partition; once this silo is leaving, forwards
     * it to the entry's new owner instead (once: a forwarded operation is always answered where it lands).
     * First checks that the sender may make it: it is a live member, an entry it registers or removes
     * names itself (an entry forwarded by a leaving owner, or handed off, may name any live member, as the
     * membership says), and only silos the membership says are Dead may have all their entries dropped.
     *
     * @throws UnauthorizedRequestException when the sender may not
     */
    public Object handle(SiloAddress sender, int operation, Object[] args, Predicate<SiloAddress> isLiveMember,
            Predicate<SiloAddress> isDead) {
        boolean forwarded = (operation & FORWARDED) != 0;
        int plain = operation & ~FORWARDED;
        if (plain != LOOKUP && !isLiveMember.test(sender)) {
            throw new UnauthorizedRequestException("Silo " + sender + " is not a live member of the cluster; it may not"
                    + " change the directory");
        }
        switch (plain) {
            case REGISTER, UNREGISTER -> requireEntryOf(sender, entry(args, 0).silo(), forwarded, isLiveMember);
            case REGISTER_MANY -> {
                for (GrainAddress address : castList(args[0])) {
                    requireEntryOf(sender, address.silo(), true, isLiveMember);
                }
            }
            case UNREGISTER_SILOS -> {
                for (Object silo : (List<?>) args[0]) {
                    if (!(silo instanceof SiloAddress address) || !isDead.test(address)) {
                        throw new UnauthorizedRequestException("Silo " + sender + " asked to drop the directory entries"
                                + " of " + silo + ", which the membership does not list as Dead");
                    }
                }
            }
            default -> {
            }
        }
        return run(operation, args);
    }

    private static GrainAddress entry(Object[] args, int index) {
        if (args.length <= index || !(args[index] instanceof GrainAddress address)) {
            throw new GrainException("Malformed directory request: argument " + index + " is not a grain address");
        }
        return address;
    }

    private static void requireEntryOf(SiloAddress sender, SiloAddress named, boolean mayNameMembers,
            Predicate<SiloAddress> isLiveMember) {
        if (named.equals(sender) || (mayNameMembers && isLiveMember.test(named))) {
            return;
        }
        throw new UnauthorizedRequestException("Silo " + sender + " may not register or remove a directory entry of "
                + named + (mayNameMembers ? ", which is not a live member" : "; a silo registers its own activations"));
    }

    private Object run(int operation, Object[] args) {
        if ((operation & FORWARDED) != 0) {
            return handleHere(operation & ~FORWARDED, args);
        }
        Object result = inOwnPartition(() -> handleHere(operation, args));
        return result == HANDED_OFF ? forwardToOwner(operation, args) : result;
    }

    /**
     * Runs {@code step} on this silo's partition unless the partition was handed off, in which case it
     * returns {@link #HANDED_OFF} and the caller goes to the new owner. The read lock keeps the check and
     * the step together against {@link #handOff}.
     */
    private Object inOwnPartition(Supplier<?> step) {
        handOffLock.readLock().lock();
        try {
            return leaving ? HANDED_OFF : step.get();
        } finally {
            handOffLock.readLock().unlock();
        }
    }

    private Object forwardToOwner(int operation, Object[] args) {
        DirectoryRing current = ring;
        return switch (operation) {
            case REGISTER, UNREGISTER -> transport.call(owner(current, ((GrainAddress) args[0]).grainId()),
                    operation | FORWARDED, args);
            case LOOKUP -> transport.call(owner(current, (GrainId) args[0]), operation | FORWARDED, args);
            case REGISTER_MANY -> {
                List<GrainAddress> addresses = castList(args[0]);
                Map<SiloAddress, List<GrainAddress>> byOwner = group(addresses, current);
                Map<GrainId, GrainAddress> winners = new ConcurrentHashMap<>();
                List<CompletableFuture<?>> calls = new ArrayList<>();
                byOwner.forEach((owner, some) -> calls.add(transport.call(owner, REGISTER_MANY | FORWARDED,
                        new Object[] {List.copyOf(some)}).thenAccept(result -> {
                            List<GrainAddress> won = castList(result);
                            for (int i = 0; i < some.size(); i++) {
                                winners.put(some.get(i).grainId(), won.get(i));
                            }
                        })));
                yield CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                        .thenApply(done -> addresses.stream().map(a -> winners.get(a.grainId())).toList());
            }
            default -> handleHere(operation, args);
        };
    }

    private static SiloAddress owner(DirectoryRing ring, GrainId grainId) {
        SiloAddress owner = ring.owner(grainId);
        if (owner == null) {
            throw new SiloUnavailableException("No Active silo owns the directory entry of " + grainId);
        }
        return owner;
    }

    private Object handleHere(int operation, Object[] args) {
        return switch (operation) {
            case REGISTER -> partition.register((GrainAddress) args[0], (GrainAddress) args[1]);
            case UNREGISTER -> {
                partition.unregister((GrainAddress) args[0]);
                yield null;
            }
            case LOOKUP -> partition.lookup((GrainId) args[0]);
            case REGISTER_MANY -> registerAll(castList(args[0]));
            case UNREGISTER_SILOS -> {
                @SuppressWarnings("unchecked")
                List<SiloAddress> silos = (List<SiloAddress>) args[0];
                partition.removeSilos(silos);
                cache.removeSilos(silos);
                yield null;
            }
            default -> throw new GrainException("Unknown directory operation " + operation);
        };
    }

    private List<GrainAddress> registerAll(List<GrainAddress> addresses) {
        List<GrainAddress> winners = new ArrayList<>(addresses.size());
        for (GrainAddress address : addresses) {
            winners.add(partition.register(address, null));
        }
        return winners;
    }

    @SuppressWarnings("unchecked")
    private static List<GrainAddress> castList(Object value) {
        return (List<GrainAddress>) value;
    }

    // ---- membership ------------------------------------------------------------------------------

    /**
     * The Active silos or the dead ones changed: rebuild the ring, drop what points at dead silos,
     * hand off entries now owned by others, and re-register local activations whose owner moved.
     */
    @Override
    public void onMembershipChanged(Collection<SiloAddress> activeSilos, Set<SiloAddress> dead) {
        DirectoryRing previous = ring;
        // A leaving silo stays out of its own ring even if a table read still shows it Active.
        DirectoryRing next = DirectoryRing.of(leaving
                ? activeSilos.stream().filter(s -> !s.equals(localSilo)).toList() : activeSilos);
        cache.deadSilos(dead);
        ring = next;
        partition.removeSilos(dead);
        if (next.size() == 0) {
            return;
        }
        List<GrainAddress> moved = partition.removeNotOwned(id -> localSilo.equals(next.owner(id)));
        send(group(moved, next), false);
        List<GrainAddress> ownerChanged = new ArrayList<>();
        for (GrainAddress address : localActivations.get()) {
            if (!Objects.equals(previous.owner(address.grainId()), next.owner(address.grainId()))) {
                ownerChanged.add(address);
            }
        }
        send(group(ownerChanged, next), true);
    }

    /**
     * On a graceful leave, before the table says so: every entry this silo owns goes to its owner in the
     * ring without this silo, and from now on this silo forwards directory requests to those owners (its
     * own included). The entries are posted under the write lock, so on each connection they precede any
     * request forwarded after them. Completes when the new owners took them; may run again (it then
     * moves whatever arrived since, normally nothing).
     */
    public CompletableFuture<Void> handOff(Collection<SiloAddress> remainingActive) {
        DirectoryRing without = DirectoryRing.of(remainingActive.stream().filter(s -> !s.equals(localSilo)).toList());
        if (without.size() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        handOffLock.writeLock().lock();
        try {
            leaving = true;
            ring = without;
            List<GrainAddress> all = partition.removeNotOwned(id -> false);
            return send(group(all, without), false);
        } finally {
            handOffLock.writeLock().unlock();
        }
    }

    private Map<SiloAddress, List<GrainAddress>> group(List<GrainAddress> addresses, DirectoryRing byRing) {
        Map<SiloAddress, List<GrainAddress>> byOwner = new HashMap<>();
        for (GrainAddress address : addresses) {
            byOwner.computeIfAbsent(byRing.owner(address.grainId()), o -> new ArrayList<>()).add(address);
        }
        return byOwner;
    }

    private CompletableFuture<Void> send(Map<SiloAddress, List<GrainAddress>> byOwner, boolean ownActivations) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        byOwner.forEach((owner, addresses) -> {
            CompletableFuture<List<GrainAddress>> winners = owner.equals(localSilo)
                    ? CompletableFuture.completedFuture(registerAll(addresses))
                    : transport.call(owner, REGISTER_MANY, new Object[] {List.copyOf(addresses)})
                            .thenApply(DistributedGrainDirectory::castList);
            calls.add(winners.whenComplete((result, error) -> {
                if (error != null) {
                    log.warn("Moving {} directory entries to {} failed: {}", addresses.size(), owner, error.toString());
                    return;
                }
                for (int i = 0; i < addresses.size(); i++) {
                    // Moved entries of this silo's own activations are checked too (a hand-off moves them).
                    if ((ownActivations || localSilo.equals(addresses.get(i).silo()))
                            && !addresses.get(i).equals(result.get(i))) {
                        log.info("Activation {} of {} is a duplicate of {}; deactivating it",
                                addresses.get(i).activationId(), addresses.get(i).grainId(), result.get(i));
                        onDuplicate.accept(addresses.get(i));
                    }
                }
            }));
        });
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    /** Silos that own ranges of the directory in this silo's view (for tests and diagnostics). */
    public int ringSize() {
        return ring.size();
    }

    /** Entries this silo owns now (for tests and diagnostics). */
    public int partitionSize() {
        return partition.size();
    }
}
