package org.orleans4j.spring.reminders;

import javax.sql.DataSource;
import org.orleans4j.testing.db.H2Databases;

class H2JdbcReminderTableTest extends JdbcReminderTableTestBase {

    private static final DataSource DATA_SOURCE = H2Databases.inMemory("reminders");

    @Override
    protected DataSource dataSource() {
        return DATA_SOURCE;
    }
}
