package org.orleans4j.runtime;

import org.jspecify.annotations.Nullable;
import org.orleans4j.catalog.internal.Catalog;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.directory.DirectoryCache;
import org.orleans4j.membership.ClusterMembershipService;
import org.orleans4j.placement.ActivationCountBasedPlacementDirector;

/** A silo on its own: no membership, no messaging, no gateway; its statistics are its own counts. */
final class NoCluster implements ClusterRole {

    private final SiloAddress localSilo;
    private final Catalog catalog;
    private final ClusterStatistics statistics;
    /** Null when activation-count placement is not in use. */
    private final @Nullable ActivationCountBasedPlacementDirector activationCounts;

    NoCluster(
            SiloAddress localSilo,
            Catalog catalog,
            ClusterStatistics statistics,
            @Nullable ActivationCountBasedPlacementDirector activationCounts) {
        this.localSilo = localSilo;
        this.catalog = catalog;
        this.statistics = statistics;
        this.activationCounts = activationCounts;
    }

    @Override
    public void participate(SiloLifecycle lifecycle) {}

    @Override
    public void publishActivationCount() {
        int count = catalog.activationCount();
        statistics.update(localSilo, count, catalog.activationCountsByType());
        if (activationCounts != null) {
            activationCounts.updateActivationCount(localSilo, count);
        }
    }

    @Override
    public void sweep() {}

    @Override
    public void close() {}

    @Override
    public void onDeclaredDead(Runnable stop) {}

    @Override
    public int gatewayPort() {
        return 0;
    }

    @Override
    public @Nullable ClusterMembershipService membership() {
        return null;
    }

    @Override
    public @Nullable DirectoryCache directoryCache() {
        return null;
    }
}
