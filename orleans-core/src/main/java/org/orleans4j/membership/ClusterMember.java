package org.orleans4j.membership;

import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;

/** A silo as the membership service reports it. */
public record ClusterMember(SiloAddress silo, SiloStatus status, String name, String role) {}
