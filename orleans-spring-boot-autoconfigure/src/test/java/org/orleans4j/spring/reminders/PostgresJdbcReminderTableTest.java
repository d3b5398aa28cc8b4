package org.orleans4j.spring.reminders;

import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.orleans4j.testing.db.PostgresDatabase;
import org.orleans4j.testing.db.WithEmbeddedPostgres;

/** The reminder table contract against a real PostgreSQL server (the JVM's embedded one, a database of this class's own). */
@WithEmbeddedPostgres
class PostgresJdbcReminderTableTest extends JdbcReminderTableTestBase {

    private static DataSource dataSource;

    @BeforeAll
    static void start(PostgresDatabase database) {
        dataSource = database.dataSource();
    }

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }
}
