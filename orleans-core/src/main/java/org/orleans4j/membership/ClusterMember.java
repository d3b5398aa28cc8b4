package org.orleans4j.membership;

import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;

/** A silo as the membership service reports it. */
public record ClusterMember(
        SiloAddress silo,
        SiloStatus status,
        @Nullable String name,
        @Nullable String role) {}
