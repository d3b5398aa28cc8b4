package org.orleans4j.spring.membership;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;

/** The membership tables as Spring Data JDBC maps them. */
final class MembershipRecords {

    private MembershipRecords() {}

    /** A cluster: service id and cluster id. */
    record ClusterKey(String serviceId, String clusterId) {}

    /** The version row of a cluster; its {@code @Version} is the table version. */
    record VersionRecord(@Id ClusterKey id, @Version Long version, long modifiedMs) {}

    /** A silo's key within its cluster. */
    record SiloKey(String serviceId, String clusterId, String address, int port, long generation) {}

    /** A silo row; its {@code @Version} is the row's ETag. */
    record SiloRecord(
            @Id SiloKey id,
            String siloName,
            String hostName,
            String status,
            int gatewayPort,
            String roleName,
            Long startTimeMs,
            Long iAmAliveTimeMs,
            String suspectVotes,
            @Version Long rowVersion,
            String appVersion,
            String grainManifest) {}
}
