package org.orleans4j.runtime;

import org.jspecify.annotations.Nullable;
import org.orleans4j.directory.DirectoryCache;
import org.orleans4j.membership.ClusterMembershipService;

/**
 * How a silo takes part in a cluster: {@link SiloCluster} with membership, messaging and a gateway, or
 * {@link NoCluster} for a silo on its own. Its start and stop steps are lifecycle participants.
 */
interface ClusterRole {

    /** Subscribes the role's start and stop steps to the silo's lifecycle. */
    void participate(SiloLifecycle lifecycle);

    /** Publishes this silo's activation count (to the others too, in a cluster); runs every second. */
    void publishActivationCount();

    /** Fails the cluster's overdue system calls; runs with the response timeout sweep. */
    void sweep();

    /** Stops at once without telling anyone: the process is killed, or the cluster declared it dead. */
    void close();

    /**
     * Runs {@code stop} if the cluster declares this silo dead; from then on the role's own stop steps
     * write nothing to the membership table.
     */
    void onDeclaredDead(Runnable stop);

    /** The port cluster clients connect to; 0 without a gateway. */
    int gatewayPort();

    /** The membership service, or {@code null} for a silo on its own. */
    @Nullable
    ClusterMembershipService membership();

    /** The directory cache, or {@code null} for a silo on its own. */
    @Nullable
    DirectoryCache directoryCache();
}
