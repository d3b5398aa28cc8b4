package org.orleans4j.placement;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.orleans4j.runtime.SiloAddress;

/**
 * Power of K choices over activation counts: sample K distinct compatible silos at random and take
 * the one with the fewest expected activations (last published count plus what this director has
 * placed there since). Sampling, rather than taking the global minimum, keeps silos that place
 * independently from all piling onto the same one between publications.
 */
public final class ActivationCountBasedPlacementDirector
        implements PlacementDirector<ActivationCountBasedPlacementStrategy> {

    private final int chooseOutOf;
    private final ConcurrentHashMap<SiloAddress, Load> loads = new ConcurrentHashMap<>();

    private static final class Load {
        volatile int reported;
        final AtomicInteger placedSince = new AtomicInteger();

        int expected() {
            return reported + placedSince.get();
        }
    }

    public ActivationCountBasedPlacementDirector(ActivationCountBasedPlacementOptions options) {
        this.chooseOutOf = options.chooseOutOf();
    }

    /** A silo published its activation count; local placements since the last report are now in it. */
    public void updateActivationCount(SiloAddress silo, int activationCount) {
        Load load = loads.computeIfAbsent(silo, s -> new Load());
        load.reported = activationCount;
        load.placedSince.set(0);
    }

    public void removeSilo(SiloAddress silo) {
        loads.remove(silo);
    }

    @Override
    public CompletableFuture<SiloAddress> onAddActivation(ActivationCountBasedPlacementStrategy strategy,
            PlacementTarget target, PlacementContext context) {
        List<SiloAddress> silos = Directors.compatibleOrThrow(target, context);
        int n = silos.size();
        int k = Math.min(chooseOutOf, n);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int start = random.nextInt(n);
        // k distinct indexes: a random start and a random stride coprime with n would need math;
        // a partial Fisher-Yates over a small index array is simpler and k is tiny.
        int[] indexes = new int[n];
        for (int i = 0; i < n; i++) {
            indexes[i] = (start + i) % n;
        }
        Load best = null;
        SiloAddress chosen = null;
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int pick = indexes[j];
            indexes[j] = indexes[i];
            SiloAddress silo = silos.get(pick);
            Load load = loads.computeIfAbsent(silo, s -> new Load());
            if (best == null || load.expected() < best.expected()) {
                best = load;
                chosen = silo;
            }
        }
        best.placedSince.incrementAndGet();
        return Directors.done(chosen);
    }
}
