package org.orleans4j.spring.reminders;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.orleans4j.reminders.ReminderTable;
import org.orleans4j.spring.jdbc.JdbcTimeout;
import org.orleans4j.testing.tck.ReminderTableContractTest;

/** The reminder table contract against a database; each test gets a service id of its own. */
abstract class JdbcReminderTableTestBase extends ReminderTableContractTest {

    private final String serviceId = "svc-" + UUID.randomUUID();
    private final List<JdbcReminderTable> tables = new ArrayList<>();
    private JdbcReminderTable table;
    private JdbcReminderTable sameService;

    protected abstract DataSource dataSource();

    private JdbcReminderTable newTable(String service) {
        JdbcReminderTable created = new JdbcReminderTable(dataSource(), service, JdbcTimeout.DEFAULT);
        created.initialize(true);
        tables.add(created);
        return created;
    }

    @Override
    protected ReminderTable table() {
        if (table == null) {
            table = newTable(serviceId);
        }
        return table;
    }

    @Override
    protected ReminderTable sameServiceTable() {
        if (sameService == null) {
            sameService = newTable(serviceId);
        }
        return sameService;
    }

    @Override
    protected ReminderTable otherServiceTable() {
        return newTable("other-" + UUID.randomUUID());
    }

    @AfterEach
    void close() {
        tables.forEach(JdbcReminderTable::destroy);
    }
}
