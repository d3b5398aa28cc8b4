package org.orleans4j.cluster;

import org.orleans4j.internal.OptionChecks;

/**
 * Which cluster a silo belongs to. {@code serviceId} stays the same across deployments (stored state
 * is keyed by it); {@code clusterId} names one deployment of the service.
 */
public record ClusterOptions(String serviceId, String clusterId) {

    public static final ClusterOptions DEFAULT = new ClusterOptions("default", "default");

    public ClusterOptions {
        OptionChecks.requireText(serviceId, "serviceId");
        OptionChecks.requireText(clusterId, "clusterId");
    }
}
