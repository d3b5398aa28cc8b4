package org.orleans4j.reminders;

import org.orleans4j.testing.tck.ReminderTableContractTest;

class InMemoryReminderTableTest extends ReminderTableContractTest {

    private final InMemoryReminderTable table = new InMemoryReminderTable();

    @Override
    protected ReminderTable table() {
        return table;
    }

    @Override
    protected ReminderTable sameServiceTable() {
        return table;
    }

    @Override
    protected ReminderTable otherServiceTable() {
        return new InMemoryReminderTable();
    }
}
