package org.orleans4j.membership;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;

/** The membership at one table version. */
public record ClusterMembershipSnapshot(Map<SiloAddress, ClusterMember> members, long version) {

    public static final ClusterMembershipSnapshot EMPTY = new ClusterMembershipSnapshot(Map.of(), -1);

    public ClusterMembershipSnapshot {
        members = java.util.Collections.unmodifiableMap(new TreeMap<>(members));
    }

    static ClusterMembershipSnapshot of(MembershipTableData data) {
        Map<SiloAddress, ClusterMember> members = new TreeMap<>();
        for (MembershipRow row : data.rows()) {
            MembershipEntry e = row.entry();
            members.put(e.silo(), new ClusterMember(e.silo(), e.status(), e.siloName(), e.roleName(), e.manifest()));
        }
        return new ClusterMembershipSnapshot(members, data.version().version());
    }

    /** Active silos in address order. */
    public List<SiloAddress> activeSilos() {
        return members.values().stream()
                .filter(m -> m.status() == SiloStatus.ACTIVE)
                .map(ClusterMember::silo)
                .toList();
    }

    public SiloStatus statusOf(SiloAddress silo) {
        ClusterMember member = members.get(silo);
        return member == null ? SiloStatus.NONE : member.status();
    }
}
