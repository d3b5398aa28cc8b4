package org.orleans4j.spring.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.testing.db.PostgresDatabase;
import org.orleans4j.testing.db.WithEmbeddedPostgres;
import org.orleans4j.testing.tck.MembershipTableContractTest;

/** The membership table contract against a real PostgreSQL server (the JVM's embedded one, a database of this class's own). */
@WithEmbeddedPostgres
class PostgresJdbcMembershipTableTest extends MembershipTableContractTest {

    private static DataSource dataSource;
    private final List<JdbcMembershipTable> tables = new ArrayList<>();

    @BeforeAll
    static void start(PostgresDatabase database) {
        dataSource = database.dataSource();
    }

    @Override
    protected MembershipTable newTable() {
        JdbcMembershipTable table = new JdbcMembershipTable(dataSource, "svc", "cluster-" + UUID.randomUUID());
        table.initialize(true);
        tables.add(table);
        return table;
    }

    @AfterEach
    void close() {
        tables.forEach(JdbcMembershipTable::destroy);
    }
}
