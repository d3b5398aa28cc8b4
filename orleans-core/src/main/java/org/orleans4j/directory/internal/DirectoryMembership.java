package org.orleans4j.directory.internal;

import java.util.List;
import java.util.Set;
import org.orleans4j.cluster.SiloAddress;

/**
 * The membership at one table version, as the directory needs it.
 *
 * @param version the membership table version this view was read at; views of the same version are equal on every silo
 * @param active the Active silos: the directory ring at this version
 * @param leaving the ShuttingDown silos: they own no range any more, but may still hold entries a new owner must take over
 * @param dead the Dead silos: their activations are gone and their entries are dropped
 */
public record DirectoryMembership(
        long version, List<SiloAddress> active, Set<SiloAddress> leaving, Set<SiloAddress> dead) {

    public DirectoryMembership {
        active = List.copyOf(active);
        leaving = Set.copyOf(leaving);
        dead = Set.copyOf(dead);
    }
}
