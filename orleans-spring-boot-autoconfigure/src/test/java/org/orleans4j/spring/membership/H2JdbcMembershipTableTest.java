package org.orleans4j.spring.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.testing.db.H2Databases;
import org.orleans4j.testing.tck.MembershipTableContractTest;

class H2JdbcMembershipTableTest extends MembershipTableContractTest {

    private static final DataSource DATA_SOURCE = H2Databases.inMemory("membership");

    private final List<JdbcMembershipTable> tables = new ArrayList<>();

    /** Each test gets its own cluster id in the shared database: clusters must not see each other. */
    @Override
    protected MembershipTable newTable() {
        JdbcMembershipTable table = new JdbcMembershipTable(DATA_SOURCE, "svc", "cluster-" + UUID.randomUUID());
        table.initialize(true);
        tables.add(table);
        return table;
    }

    @AfterEach
    void close() {
        tables.forEach(JdbcMembershipTable::destroy);
    }

    @Test
    void clustersAndServicesAreIsolated() {
        JdbcMembershipTable a = new JdbcMembershipTable(DATA_SOURCE, "svc", "iso");
        JdbcMembershipTable otherService = new JdbcMembershipTable(DATA_SOURCE, "other", "iso");
        a.initialize(true);
        otherService.initialize(true);
        tables.add(a);
        tables.add(otherService);
        var entry = new org.orleans4j.membership.MembershipEntry(
                new org.orleans4j.cluster.SiloAddress("10.0.0.1", 11111, 1),
                org.orleans4j.cluster.SiloStatus.ACTIVE,
                "s",
                "h",
                0,
                null,
                java.time.Instant.ofEpochMilli(1000),
                java.time.Instant.ofEpochMilli(2000),
                List.of());
        assertThat(a.insertRow(entry, a.readAll().join().version().next()).join())
                .isTrue();
        assertThat(otherService.readAll().join().rows()).isEmpty();
        assertThat(otherService.readAll().join().version().version()).isZero();
    }
}
