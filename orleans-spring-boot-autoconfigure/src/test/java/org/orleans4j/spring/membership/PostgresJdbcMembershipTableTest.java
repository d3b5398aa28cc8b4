package org.orleans4j.spring.membership;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.testing.tck.MembershipTableContractTest;

/** The membership table contract against a real PostgreSQL server started for this class. */
class PostgresJdbcMembershipTableTest extends MembershipTableContractTest {

    private static EmbeddedPostgres postgres;
    private final List<JdbcMembershipTable> tables = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected MembershipTable newTable() {
        JdbcMembershipTable table =
                new JdbcMembershipTable(postgres.getPostgresDatabase(), "svc", "cluster-" + UUID.randomUUID());
        table.initialize(true);
        tables.add(table);
        return table;
    }

    @AfterEach
    void close() {
        tables.forEach(JdbcMembershipTable::destroy);
    }
}
