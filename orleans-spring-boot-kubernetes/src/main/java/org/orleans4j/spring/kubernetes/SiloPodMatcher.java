package org.orleans4j.spring.kubernetes;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.membership.ClusterMember;
import org.orleans4j.membership.ClusterMembershipSnapshot;

/**
 * Matches silos in a membership snapshot to pods by name. A pod runs one silo at a time, so the
 * silo of a pod is the newest generation carrying its name: older generations with that name are
 * processes that died in the same pod (a container restart), never the pod's live silo.
 */
final class SiloPodMatcher {

    /** Oldest first: an earlier generation (start time) first, then the address. */
    static final Comparator<ClusterMember> OLDEST_FIRST =
            Comparator.comparingLong((ClusterMember m) -> m.silo().generation()).thenComparing(ClusterMember::silo);

    private SiloPodMatcher() {}

    /** The silo running in the pod named {@code podName}: the newest generation with that name. */
    static Optional<ClusterMember> siloOfPod(ClusterMembershipSnapshot snapshot, String podName) {
        return snapshot.members().values().stream()
                .filter(m -> podName.equals(m.name()))
                .max(OLDEST_FIRST);
    }

    /**
     * Active silos other than {@code self} that no listed pod runs: their name matches no pod, or a
     * newer generation has the same name. Silos that are ShuttingDown or Stopping are never in it,
     * since they leave by themselves; nor is any silo whose pod is listed, even if Terminating.
     */
    static List<ClusterMember> activeSilosWithoutPod(
            ClusterMembershipSnapshot snapshot, Set<String> podNames, SiloAddress self) {
        Map<String, ClusterMember> newest = newestByName(snapshot);
        return snapshot.members().values().stream()
                .filter(m -> m.status() == SiloStatus.ACTIVE && !m.silo().equals(self))
                .filter(m -> m.name() == null
                        || !podNames.contains(m.name())
                        || !newest.get(m.name()).silo().equals(m.silo()))
                .toList();
    }

    /** Listed pods whose silo (newest generation) is Dead. */
    static List<String> podsOfDeadSilos(ClusterMembershipSnapshot snapshot, Set<String> podNames) {
        Map<String, ClusterMember> newest = newestByName(snapshot);
        return podNames.stream()
                .filter(pod -> newest.containsKey(pod) && newest.get(pod).status() == SiloStatus.DEAD)
                .sorted()
                .toList();
    }

    /** The first {@code maxAgents} Active silos, oldest first: the ones that watch the pods. */
    static List<SiloAddress> watchers(ClusterMembershipSnapshot snapshot, int maxAgents) {
        return snapshot.members().values().stream()
                .filter(m -> m.status() == SiloStatus.ACTIVE)
                .sorted(OLDEST_FIRST)
                .limit(maxAgents)
                .map(ClusterMember::silo)
                .toList();
    }

    private static Map<String, ClusterMember> newestByName(ClusterMembershipSnapshot snapshot) {
        Map<String, ClusterMember> newest = new HashMap<>();
        for (ClusterMember member : snapshot.members().values()) {
            if (member.name() != null) {
                newest.merge(member.name(), member, (a, b) -> OLDEST_FIRST.compare(a, b) >= 0 ? a : b);
            }
        }
        return newest;
    }
}
