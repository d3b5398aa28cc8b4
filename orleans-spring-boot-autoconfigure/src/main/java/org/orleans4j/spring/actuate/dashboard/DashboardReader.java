package org.orleans4j.spring.actuate.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.orleans4j.catalog.ActivationStatistics;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.membership.ClusterMember;
import org.orleans4j.membership.ClusterMembershipService;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.runtime.ClusterStatistics.SiloStatistics;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.actuate.dashboard.DashboardData.Bucket;
import org.orleans4j.spring.actuate.dashboard.DashboardData.BusiestGrainsView;
import org.orleans4j.spring.actuate.dashboard.DashboardData.CallTotals;
import org.orleans4j.spring.actuate.dashboard.DashboardData.GrainTypeView;
import org.orleans4j.spring.actuate.dashboard.DashboardData.HotGrain;
import org.orleans4j.spring.actuate.dashboard.DashboardData.MethodView;
import org.orleans4j.spring.actuate.dashboard.DashboardData.SiloView;
import org.orleans4j.spring.actuate.dashboard.DashboardData.ThisSilo;
import org.orleans4j.spring.actuate.dashboard.GrainCallStatistics.MethodWindow;
import org.orleans4j.spring.actuate.dashboard.GrainCallStatistics.TypeWindow;
import org.orleans4j.spring.actuate.dashboard.GrainCallStatistics.Window;

/**
 * Makes the dashboard's figures from what the silo already keeps: its cached membership snapshot (no
 * table read), the activation counts every silo publishes each second, its own activation counts, and
 * the call statistics. Nothing is scanned and no other silo is asked, so a poll every two seconds from
 * several browsers costs the silo little.
 */
final class DashboardReader {

    /** Buckets that make up "the last minute" of the rates: five full ones and the current one. */
    private static final int RATE_BUCKETS = 6;

    private static final int MAX_DEAD_SILOS = 10;
    private static final int MAX_METHODS = 25;

    private final Silo silo;
    private final GrainCallStatistics calls;
    private final BusiestGrains busiest;
    private final int busiestLimit;
    private final Duration refreshInterval;
    private final LongSupplier nanoTime;
    private final LongSupplier currentTimeMillis;

    /** {@code busiest} is {@code null} when busiest grains are not counted. */
    DashboardReader(
            Silo silo,
            GrainCallStatistics calls,
            BusiestGrains busiest,
            int busiestLimit,
            Duration refreshInterval,
            LongSupplier nanoTime,
            LongSupplier currentTimeMillis) {
        this.silo = silo;
        this.calls = calls;
        this.busiest = busiest;
        this.busiestLimit = busiestLimit;
        this.refreshInterval = refreshInterval;
        this.nanoTime = nanoTime;
        this.currentTimeMillis = currentTimeMillis;
    }

    DashboardData read() {
        long now = currentTimeMillis.getAsLong();
        Window window = calls.read(nanoTime.getAsLong());
        Map<SiloAddress, SiloStatistics> published = silo.clusterStatistics().silos();
        List<SiloView> silos = new ArrayList<>();
        int deadNotShown = silos(published, now, silos);
        long clusterActivations = 0;
        Map<String, Long> activationsByType = new TreeMap<>();
        for (SiloStatistics counts : published.values()) {
            clusterActivations += counts.activations();
            counts.activationsByType().forEach((type, count) -> activationsByType.merge(type, (long) count, Long::sum));
        }
        return new DashboardData(
                now,
                refreshInterval.toMillis(),
                (int) (GrainCallStatistics.BUCKET_NANOS / 1_000_000_000L),
                new ThisSilo(
                        silo.address().toString(),
                        silo.siloOptions().siloName(),
                        silo.status().name(),
                        silo.address().generation()),
                silo.clusterOptions().serviceId(),
                silo.clusterOptions().clusterId(),
                silo.membership() != null,
                silos,
                deadNotShown,
                clusterActivations,
                totals(window),
                timeline(window),
                grainTypes(window, activationsByType),
                methods(window),
                busiestGrains());
    }

    /** Fills {@code views}; answers how many dead silos were left out. */
    private int silos(Map<SiloAddress, SiloStatistics> published, long now, List<SiloView> views) {
        ClusterMembershipService membership = silo.membership();
        List<ClusterMember> members = membership == null
                ? List.of(new ClusterMember(
                        silo.address(),
                        silo.status(),
                        silo.siloOptions().siloName(),
                        silo.siloOptions().effectiveRole()))
                : new ArrayList<>(membership.currentSnapshot().members().values());
        List<ClusterMember> live = new ArrayList<>();
        List<ClusterMember> dead = new ArrayList<>();
        for (ClusterMember member : members) {
            (member.status() == SiloStatus.DEAD ? dead : live).add(member);
        }
        live.sort(Comparator.comparing(ClusterMember::silo));
        dead.sort(Comparator.comparingLong((ClusterMember m) -> m.silo().generation())
                .reversed()
                .thenComparing(ClusterMember::silo));
        List<ClusterMember> shown = new ArrayList<>(live);
        shown.addAll(dead.subList(0, Math.min(dead.size(), MAX_DEAD_SILOS)));
        for (ClusterMember member : shown) {
            SiloStatistics counts = member.status() == SiloStatus.DEAD ? null : published.get(member.silo());
            views.add(new SiloView(
                    member.silo().toString(),
                    member.name() == null ? "" : member.name(),
                    member.role() == null ? "" : member.role(),
                    member.status().name(),
                    member.silo().equals(silo.address()),
                    counts == null ? null : counts.activations(),
                    counts == null ? Map.of() : new TreeMap<>(counts.activationsByType()),
                    counts == null
                            ? null
                            : Math.max(0, now - counts.receivedAt().toEpochMilli())));
        }
        return Math.max(0, dead.size() - MAX_DEAD_SILOS);
    }

    private static CallTotals totals(Window window) {
        long[] bins = new long[LatencyBins.COUNT];
        long total = 0;
        long failed = 0;
        for (TypeWindow type : window.types()) {
            for (int bucket = 0; bucket < GrainCallStatistics.WINDOW_BUCKETS; bucket++) {
                long[] typeBins = type.bins()[bucket];
                for (int bin = 0; bin < bins.length; bin++) {
                    bins[bin] += typeBins[bin];
                    total += typeBins[bin];
                }
                failed += type.failures()[bucket];
            }
        }
        double seconds = 0;
        for (double bucketSeconds : window.seconds()) {
            seconds += bucketSeconds;
        }
        return new CallTotals(
                perSecond(window, lastMinute(window, allCalls(window))),
                total,
                failed,
                total == 0 ? 0 : (double) failed / total,
                seconds,
                LatencyBins.percentileMillis(bins, 0.50),
                LatencyBins.percentileMillis(bins, 0.95),
                LatencyBins.percentileMillis(bins, 0.99));
    }

    private static long[] allCalls(Window window) {
        long[] calls = new long[GrainCallStatistics.WINDOW_BUCKETS];
        for (TypeWindow type : window.types()) {
            for (int bucket = 0; bucket < calls.length; bucket++) {
                calls[bucket] += type.calls(bucket);
            }
        }
        return calls;
    }

    private static long lastMinute(Window window, long[] perBucket) {
        long sum = 0;
        for (int bucket = perBucket.length - RATE_BUCKETS; bucket < perBucket.length; bucket++) {
            sum += perBucket[bucket];
        }
        return sum;
    }

    /** {@code calls} of the last minute per second of it (less than a minute just after the start). */
    private static double perSecond(Window window, long calls) {
        double seconds = 0;
        double[] bucketSeconds = window.seconds();
        for (int bucket = bucketSeconds.length - RATE_BUCKETS; bucket < bucketSeconds.length; bucket++) {
            seconds += bucketSeconds[bucket];
        }
        return seconds <= 0 ? 0 : calls / seconds;
    }

    private static List<Bucket> timeline(Window window) {
        List<Bucket> buckets = new ArrayList<>(GrainCallStatistics.WINDOW_BUCKETS);
        for (int bucket = 0; bucket < GrainCallStatistics.WINDOW_BUCKETS; bucket++) {
            long[] bins = new long[LatencyBins.COUNT];
            long calls = 0;
            long failed = 0;
            for (TypeWindow type : window.types()) {
                long[] typeBins = type.bins()[bucket];
                for (int bin = 0; bin < bins.length; bin++) {
                    bins[bin] += typeBins[bin];
                    calls += typeBins[bin];
                }
                failed += type.failures()[bucket];
            }
            double seconds = window.seconds()[bucket];
            buckets.add(new Bucket(
                    window.startMillis()[bucket],
                    seconds,
                    calls,
                    failed,
                    seconds <= 0 ? 0 : calls / seconds,
                    LatencyBins.percentileMillis(bins, 0.50),
                    LatencyBins.percentileMillis(bins, 0.95),
                    LatencyBins.percentileMillis(bins, 0.99)));
        }
        return buckets;
    }

    private List<GrainTypeView> grainTypes(Window window, Map<String, Long> clusterActivations) {
        ActivationStatistics local = silo.diagnostics().activationStatistics();
        Map<String, Integer> localActivations = local.activationsByType();
        Map<String, TypeWindow> called = new HashMap<>();
        for (TypeWindow type : window.types()) {
            called.put(type.type(), type);
        }
        Set<String> names = new TreeSet<>(clusterActivations.keySet());
        names.addAll(localActivations.keySet());
        names.addAll(called.keySet());
        for (GrainClassMetadata grainClass : silo.grainTypes().grainClasses()) {
            names.add(grainClass.typeName());
        }
        List<GrainTypeView> views = new ArrayList<>(names.size());
        for (String name : names) {
            TypeWindow type = called.get(name);
            long[] perBucket = new long[GrainCallStatistics.WINDOW_BUCKETS];
            long[] bins = new long[LatencyBins.COUNT];
            long failed = 0;
            if (type != null) {
                for (int bucket = 0; bucket < perBucket.length; bucket++) {
                    perBucket[bucket] = type.calls(bucket);
                    long[] typeBins = type.bins()[bucket];
                    for (int bin = 0; bin < bins.length; bin++) {
                        bins[bin] += typeBins[bin];
                    }
                    failed += type.failures()[bucket];
                }
            }
            long calls = sum(perBucket);
            views.add(new GrainTypeView(
                    name,
                    clusterActivations.getOrDefault(name, 0L),
                    localActivations.getOrDefault(name, 0),
                    perSecond(window, lastMinute(window, perBucket)),
                    calls,
                    failed,
                    LatencyBins.percentileMillis(bins, 0.50),
                    LatencyBins.percentileMillis(bins, 0.99),
                    perBucket));
        }
        views.sort(Comparator.comparingLong(GrainTypeView::calls)
                .thenComparingLong(GrainTypeView::activations)
                .reversed()
                .thenComparing(GrainTypeView::type));
        return views;
    }

    private static List<MethodView> methods(Window window) {
        List<MethodView> views = new ArrayList<>();
        for (TypeWindow type : window.types()) {
            for (MethodWindow method : type.methods()) {
                long calls = sum(method.calls());
                if (calls == 0) {
                    continue;
                }
                views.add(new MethodView(
                        type.type(),
                        method.method(),
                        perSecond(window, lastMinute(window, method.calls())),
                        calls,
                        sum(method.failures())));
            }
        }
        views.sort(Comparator.comparingLong(MethodView::calls)
                .reversed()
                .thenComparing(MethodView::type)
                .thenComparing(MethodView::method));
        return views.size() <= MAX_METHODS ? views : List.copyOf(views.subList(0, MAX_METHODS));
    }

    private BusiestGrainsView busiestGrains() {
        if (busiest == null) {
            return new BusiestGrainsView(false, List.of());
        }
        List<HotGrain> grains = busiest.top(busiestLimit).stream()
                .map(hot -> new HotGrain(hot.grain().type(), hot.grain().key(), hot.calls()))
                .toList();
        return new BusiestGrainsView(true, grains);
    }

    private static long sum(long[] values) {
        long sum = 0;
        for (long value : values) {
            sum += value;
        }
        return sum;
    }
}
