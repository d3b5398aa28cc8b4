package org.orleans4j.spring.actuate.dashboard;

import java.util.List;
import java.util.Map;

/**
 * What the dashboard page polls ({@code GET /actuator/orleansdashboard/data}). Times are epoch
 * milliseconds, durations milliseconds; a percentile is {@code null} where there were no calls.
 *
 * @param time when this answer was made
 * @param refreshMillis how long the page waits before it asks again
 * @param bucketSeconds the length of a bucket of {@code timeline}
 * @param silo this silo: the one serving the page, and whose calls the call figures are
 * @param serviceId the service id
 * @param clusterId the cluster id
 * @param clustered whether the silo is a member of a cluster
 * @param silos the silos of the cluster in this silo's view of the membership (no table read): those
 *        not dead first, then the most recently started dead ones
 * @param deadSilosNotShown dead silos left out of {@code silos}
 * @param activations activations in the cluster, as every silo last published them (each second)
 * @param calls this silo's calls over the window
 * @param timeline this silo's calls per bucket, the oldest first, the current (partial) one last
 * @param grainTypes per grain type, the busiest first
 * @param methods the methods called most over the window, at most 25
 * @param busiestGrains the grains of this silo called most lately
 */
public record DashboardData(
        long time,
        long refreshMillis,
        int bucketSeconds,
        ThisSilo silo,
        String serviceId,
        String clusterId,
        boolean clustered,
        List<SiloView> silos,
        int deadSilosNotShown,
        long activations,
        CallTotals calls,
        List<Bucket> timeline,
        List<GrainTypeView> grainTypes,
        List<MethodView> methods,
        BusiestGrainsView busiestGrains) {

    /**
     * The silo serving the page.
     *
     * @param startTime when it started (its generation)
     */
    public record ThisSilo(String address, String name, String status, long startTime) {}

    /**
     * A silo of the cluster.
     *
     * @param self whether it is the silo serving the page
     * @param activations its activations as it last published them; {@code null} when none arrived
     * @param activationsByType the same per grain type
     * @param countsAgeMillis how old those counts are
     */
    public record SiloView(
            String address,
            String name,
            String role,
            String status,
            boolean self,
            Integer activations,
            Map<String, Integer> activationsByType,
            Long countsAgeMillis) {}

    /**
     * Calls made through this silo.
     *
     * @param perSecond calls per second over the last minute
     * @param total calls over the window
     * @param failed failed calls over the window
     * @param errorRate failed calls over the window as a share of its calls (0 to 1)
     * @param windowSeconds how long the window counted (less than five minutes just after the start)
     */
    public record CallTotals(
            double perSecond,
            long total,
            long failed,
            double errorRate,
            double windowSeconds,
            Double p50Millis,
            Double p95Millis,
            Double p99Millis) {}

    /**
     * One bucket of the timeline.
     *
     * @param start when it started
     * @param seconds how long it counted (the current bucket: so far; 0 before the silo started)
     */
    public record Bucket(
            long start,
            double seconds,
            long calls,
            long failed,
            double perSecond,
            Double p50Millis,
            Double p95Millis,
            Double p99Millis) {}

    /**
     * A grain type.
     *
     * @param activations its activations in the cluster, as last published
     * @param localActivations its live activations on this silo
     * @param perSecond calls to it made through this silo, per second over the last minute
     * @param calls the same over the window
     * @param failed failed calls over the window
     * @param callsPerBucket calls per bucket of the timeline
     */
    public record GrainTypeView(
            String type,
            long activations,
            int localActivations,
            double perSecond,
            long calls,
            long failed,
            Double p50Millis,
            Double p99Millis,
            long[] callsPerBucket) {}

    /** A method, with its calls made through this silo. */
    public record MethodView(String type, String method, double perSecond, long calls, long failed) {}

    /**
     * The busiest grains.
     *
     * @param enabled whether the silo counts calls per grain ({@code orleans.dashboard.busiest-grains.enabled})
     * @param grains the grains, the busiest first
     */
    public record BusiestGrainsView(boolean enabled, List<HotGrain> grains) {}

    /**
     * A grain handled here.
     *
     * @param callsPerMinute about the calls of the last minute (a lower bound, decaying by a sixth every
     *        bucket)
     */
    public record HotGrain(String type, String key, long callsPerMinute) {}
}
