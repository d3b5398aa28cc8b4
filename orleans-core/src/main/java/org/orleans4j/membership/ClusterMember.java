package org.orleans4j.membership;

import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloManifest;
import org.orleans4j.cluster.SiloStatus;

/**
 * A silo as the membership service reports it.
 *
 * @param manifest what it hosts and its application version, or {@code null} when its row does not say
 */
public record ClusterMember(
        SiloAddress silo,
        SiloStatus status,
        @Nullable String name,
        @Nullable String role,
        @Nullable SiloManifest manifest) {

    /** A member whose row does not say what it hosts. */
    public ClusterMember(SiloAddress silo, SiloStatus status, @Nullable String name, @Nullable String role) {
        this(silo, status, name, role, null);
    }

    /** Its application version, blank when unknown. */
    public String appVersion() {
        return manifest == null ? "" : manifest.appVersion();
    }
}
