package org.orleans4j.spring.actuate.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.orleans4j.catalog.ActivationStatistics;
import org.orleans4j.runtime.ClusterStatistics.SiloStatistics;
import org.orleans4j.runtime.Silo;

/**
 * Activation counts of the whole cluster, per silo and per grain type, as every silo last
 * published them (each second), plus this silo's own live counts. Nothing is scanned and no silo
 * is asked: the counts are those the silo already holds for activation-count placement.
 *
 * @param totalActivations the sum of the silos' published counts
 * @param activationsByType the sum per grain type of the silos' published counts
 * @param silos each silo's published counts, in address order
 * @param local this silo's counts, live rather than published
 */
public record ActivationsReport(
        int totalActivations, Map<String, Integer> activationsByType, List<PublishedCounts> silos, LocalCounts local) {

    /**
     * One silo's counts as last published.
     *
     * @param receivedAt when this silo received them
     * @param ageMillis how old they were when this report was made
     */
    public record PublishedCounts(
            String address,
            int activations,
            Map<String, Integer> activationsByType,
            Instant receivedAt,
            long ageMillis) {}

    /**
     * This silo's counts, live.
     *
     * @param activations live activations, stateless workers included
     * @param activationsByType live activations per grain type (types seen since start, zeros included)
     * @param createdByType activations created since start, per grain type
     * @param collectedByType activations collected as idle since start, per grain type
     */
    public record LocalCounts(
            String address,
            int activations,
            Map<String, Integer> activationsByType,
            Map<String, Long> createdByType,
            Map<String, Long> collectedByType) {}

    static ActivationsReport of(Silo silo, Instant now) {
        // One snapshot for the totals and the per-silo figures, so they add up even while counts arrive.
        Collection<SiloStatistics> published = silo.clusterStatistics().silos().values();
        Map<String, Integer> byType = new TreeMap<>();
        for (SiloStatistics counts : published) {
            counts.activationsByType().forEach((type, count) -> byType.merge(type, count, Integer::sum));
        }
        List<PublishedCounts> silos = published.stream()
                .map(s -> new PublishedCounts(
                        s.silo().toString(),
                        s.activations(),
                        new TreeMap<>(s.activationsByType()),
                        s.receivedAt(),
                        Math.max(0, Duration.between(s.receivedAt(), now).toMillis())))
                .toList();
        ActivationStatistics statistics = silo.diagnostics().activationStatistics();
        LocalCounts local = new LocalCounts(
                silo.address().toString(),
                silo.diagnostics().activationCount(),
                statistics.activationsByType(),
                statistics.createdByType(),
                statistics.collectedByType());
        return new ActivationsReport(total(published), byType, silos, local);
    }

    static int total(Collection<SiloStatistics> published) {
        return published.stream().mapToInt(SiloStatistics::activations).sum();
    }
}
