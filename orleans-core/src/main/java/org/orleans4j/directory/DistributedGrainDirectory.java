package org.orleans4j.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.runtime.SiloAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grain directory as a distributed hash table over the Active silos ({@link DirectoryRing}):
 * each entry lives on the silo that owns its grain's hash; other silos ask the owner and cache the
 * answer. On a membership change, entries of dead silos are dropped, entries this silo no longer
 * owns are handed to their new owner, and this silo re-registers its own activations whose owner
 * changed; an activation that loses such a registration to another is a duplicate and deactivates,
 * which keeps one activation per grain across the cluster.
 */
public final class DistributedGrainDirectory implements GrainDirectory, GrainLocator {

    private static final Logger log = LoggerFactory.getLogger(DistributedGrainDirectory.class);

    /** Operations of the directory's system target, in messages between silos. */
    public static final int REGISTER = 1;
    public static final int UNREGISTER = 2;
    public static final int LOOKUP = 3;
    public static final int REGISTER_MANY = 4;
    public static final int UNREGISTER_SILOS = 5;

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
            return CompletableFuture.completedFuture(cache.remember(partition.register(address, previous)));
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
            partition.unregister(address);
            return CompletableFuture.completedFuture(null);
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
            return CompletableFuture.completedFuture(partition.lookup(grainId));
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

    /** Runs an operation another silo asked of this silo's partition. */
    public Object handle(int operation, Object[] args) {
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
        DirectoryRing next = DirectoryRing.of(activeSilos);
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

    /** On a graceful leave: every entry this silo owns goes to its owner once this silo is gone. */
    public CompletableFuture<Void> handOff(Collection<SiloAddress> remainingActive) {
        DirectoryRing without = DirectoryRing.of(remainingActive.stream().filter(s -> !s.equals(localSilo)).toList());
        if (without.size() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        List<GrainAddress> all = partition.removeNotOwned(id -> false);
        return send(group(all, without), false);
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
                if (ownActivations) {
                    for (int i = 0; i < addresses.size(); i++) {
                        if (!addresses.get(i).equals(result.get(i))) {
                            log.info("Activation {} of {} is a duplicate of {}; deactivating it",
                                    addresses.get(i).activationId(), addresses.get(i).grainId(), result.get(i));
                            onDuplicate.accept(addresses.get(i));
                        }
                    }
                }
            }));
        });
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    /** Entries this silo owns now (for tests and diagnostics). */
    public int partitionSize() {
        return partition.size();
    }
}
