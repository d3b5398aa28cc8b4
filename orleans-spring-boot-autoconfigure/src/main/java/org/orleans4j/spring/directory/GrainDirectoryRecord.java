package org.orleans4j.spring.directory;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;

/**
 * One directory entry as Spring Data JDBC maps it. The silo address is stored in parts so that the
 * conditional statements compare columns rather than parsing text.
 */
record GrainDirectoryRecord(
        @Id Key id,
        String keyKind,
        String siloAddress,
        int siloPort,
        long siloGeneration,
        String activationId,
        @Version Long rowVersion) {

    /** Service, cluster and grain: the primary key, so a grain has at most one entry per cluster. */
    record Key(String serviceId, String clusterId, String grainType, String grainKey) {}
}
