package org.orleans4j.spring.actuate.endpoint;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.membership.ClusterMember;
import org.orleans4j.membership.ClusterMembershipService;
import org.orleans4j.runtime.Silo;

/**
 * The root of the endpoint: this silo, its cluster, how many silos are in each status (in this
 * silo's view of the membership), and the activations in the whole cluster (as last published).
 *
 * @param silo this silo
 * @param serviceId the service id
 * @param clusterId the cluster id
 * @param clustered whether the silo is a member of a cluster (has a membership table)
 * @param silosByStatus silo count per status, statuses in lifecycle order
 * @param totalActivations activations in the cluster, as every silo last published them
 */
public record OrleansSummary(
        ThisSilo silo,
        String serviceId,
        String clusterId,
        boolean clustered,
        Map<String, Integer> silosByStatus,
        int totalActivations) {

    /** This silo's identity and status. */
    public record ThisSilo(String address, String name, String role, String status) {}

    static OrleansSummary of(Silo silo) {
        ClusterMembershipService membership = silo.membership();
        ThisSilo self = new ThisSilo(
                silo.address().toString(),
                silo.siloOptions().siloName(),
                silo.siloOptions().effectiveRole(),
                silo.status().name());
        return new OrleansSummary(
                self,
                silo.clusterOptions().serviceId(),
                silo.clusterOptions().clusterId(),
                membership != null,
                silosByStatus(silo, membership),
                ActivationsReport.total(silo.clusterStatistics().silos().values()));
    }

    private static Map<String, Integer> silosByStatus(Silo silo, ClusterMembershipService membership) {
        Map<SiloStatus, Integer> counts = new EnumMap<>(SiloStatus.class);
        if (membership == null) {
            counts.put(silo.status(), 1);
        } else {
            // The silo's cached snapshot, not a table read: the summary stays cheap to scrape.
            for (ClusterMember member : membership.currentSnapshot().members().values()) {
                counts.merge(member.status(), 1, Integer::sum);
            }
        }
        Map<String, Integer> byName = new LinkedHashMap<>();
        counts.forEach((status, count) -> byName.put(status.name(), count));
        return byName;
    }
}
