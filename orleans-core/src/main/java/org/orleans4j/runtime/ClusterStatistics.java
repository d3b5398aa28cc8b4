package org.orleans4j.runtime;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.orleans4j.cluster.SiloAddress;

/**
 * The activation counts every silo of the cluster publishes each second (this silo's own
 * included), as last received here. Reading them is cheap: no silo is asked, nothing is scanned.
 * Silos declared dead are dropped.
 */
public final class ClusterStatistics {

    /**
     * One silo's published counts.
     *
     * @param silo the silo
     * @param activations its activations, stateless workers included
     * @param activationsByType its activations per grain type name
     * @param receivedAt when this silo received the counts
     */
    public record SiloStatistics(
            SiloAddress silo, int activations, Map<String, Integer> activationsByType, Instant receivedAt) {

        public SiloStatistics {
            activationsByType = Map.copyOf(activationsByType);
        }
    }

    private final Map<SiloAddress, SiloStatistics> bySilo = new ConcurrentHashMap<>();

    void update(SiloAddress silo, int activations, Map<String, Integer> activationsByType) {
        bySilo.put(silo, new SiloStatistics(silo, activations, activationsByType, Instant.now()));
    }

    void remove(SiloAddress silo) {
        bySilo.remove(silo);
    }

    /** The latest counts of each silo, in address order. */
    public Map<SiloAddress, SiloStatistics> silos() {
        return new TreeMap<>(bySilo);
    }

    /** Activations in the whole cluster, as last published (a long: the sum of many silos' counts). */
    public long totalActivations() {
        return bySilo.values().stream().mapToLong(SiloStatistics::activations).sum();
    }

    /** Activations per grain type name in the whole cluster, as last published, sorted by name. */
    public Map<String, Integer> activationsByType() {
        Map<String, Integer> total = new TreeMap<>();
        for (SiloStatistics silo : bySilo.values()) {
            silo.activationsByType()
                    .forEach((type, count) ->
                            total.merge(type, count, (a, b) -> (int) Math.min(Integer.MAX_VALUE, (long) a + b)));
        }
        return total;
    }
}
