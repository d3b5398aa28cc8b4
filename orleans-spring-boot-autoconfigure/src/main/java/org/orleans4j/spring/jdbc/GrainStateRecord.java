package org.orleans4j.spring.jdbc;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;

/**
 * One stored grain state, as Spring Data JDBC maps it: a composite id, the JSON payload ({@code null}
 * for a cleared state), and the optimistic-locking version that is the state's ETag.
 */
record GrainStateRecord(@Id Key id, String payload, @Version Long version, Instant modifiedAt) {

    /** Service, grain and state name: the primary key. */
    record Key(String serviceId, String grainType, String grainKey, String stateName) {}

    GrainStateRecord withPayload(String newPayload, Long expectedVersion) {
        return new GrainStateRecord(id, newPayload, expectedVersion, Instant.now());
    }
}
