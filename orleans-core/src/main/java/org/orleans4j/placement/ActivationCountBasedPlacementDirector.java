package org.orleans4j.placement;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.orleans4j.cluster.SiloAddress;

/**
 * Power of K choices over activation counts (K = {@link ActivationCountBasedPlacementOptions#chooseOutOf()}):
 * sample K distinct compatible silos at random and take the one with the fewest expected
 * activations, i.e. its last published count plus what this director has placed there since.
 * <p>
 * Sampling, rather than taking the global minimum, keeps silos that place independently on stale
 * counts from all piling onto the same silo between publications; the local bump keeps this silo
 * from doing so itself. Silos that never reported count as 0. Thread-safe.
 */
public final class ActivationCountBasedPlacementDirector
        implements PlacementDirector<ActivationCountBasedPlacementStrategy> {

    private final int chooseOutOf;
    private final ConcurrentHashMap<SiloAddress, Estimate> estimates = new ConcurrentHashMap<>();

    /** One silo's published count and this director's placements on it since that publication. */
    private static final class Estimate {
        final int reported;
        final AtomicInteger placedSince = new AtomicInteger();

        Estimate(int reported) {
            this.reported = reported;
        }

        int expected() {
            return reported + placedSince.get();
        }
    }

    public ActivationCountBasedPlacementDirector(ActivationCountBasedPlacementOptions options) {
        this.chooseOutOf = Objects.requireNonNull(options, "options").chooseOutOf();
    }

    /**
     * A silo published its activation count. Placements made here before it are assumed included, so
     * the local delta restarts at 0. Swapping in a new estimate keeps count and delta consistent.
     */
    public void updateActivationCount(SiloAddress silo, int activationCount) {
        if (activationCount < 0) {
            throw new IllegalArgumentException(
                    "activation count of " + silo + " must not be negative, was " + activationCount);
        }
        estimates.put(Objects.requireNonNull(silo, "silo"), new Estimate(activationCount));
    }

    /** Forgets a silo that left the cluster, so its estimate does not linger; a later report adds it back. */
    public void removeSilo(SiloAddress silo) {
        estimates.remove(silo);
    }

    /** This director's current estimate of the silo's activations (0 if it never reported). */
    public int estimatedActivationCount(SiloAddress silo) {
        Estimate estimate = estimates.get(silo);
        return estimate == null ? 0 : estimate.expected();
    }

    @Override
    public CompletableFuture<SiloAddress> onAddActivation(
            ActivationCountBasedPlacementStrategy strategy, PlacementTarget target, PlacementContext context) {
        List<SiloAddress> silos = context.getCompatibleSilos(target);
        if (Directors.none(silos)) {
            return Directors.failNoCompatibleSilo(target);
        }
        SiloAddress best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int index : DistinctSample.indexes(silos.size(), Math.min(chooseOutOf, silos.size()))) {
            SiloAddress silo = silos.get(index);
            int load = estimatedActivationCount(silo);
            if (best == null || load < bestLoad) {
                best = silo;
                bestLoad = load;
            }
        }
        // Count the placement at once: later placements here must see it before the next publication.
        estimates.computeIfAbsent(best, s -> new Estimate(0)).placedSince.incrementAndGet();
        return Directors.done(best);
    }
}
