package org.orleans4j.spring.reminders;

import java.time.Duration;
import org.orleans4j.reminders.ReminderOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Durable reminders ({@code orleans.reminders.*}).
 *
 * @param table Where reminders are stored: {@code jdbc} (the default) keeps them in the application's
 *        DataSource, shared by every silo of the service and surviving restarts; {@code memory} keeps
 *        them in this process only (tests, one silo that may forget them); {@code none} disables
 *        reminders. Without a DataSource and with the default, grains that register a reminder fail
 *        with a message naming this property
 * @param initializeSchema Whether to create the {@code orleans_reminders} table at startup when it
 *        does not exist
 * @param minimumPeriod The shortest period a reminder may have; each tick is a write to the reminder
 *        table, so use a grain timer for shorter periods. One minute, as in Orleans
 * @param refreshPeriod How often a silo reads the reminders of its ranges of the ring again, to pick
 *        up changes whose notice did not reach it
 */
@ConfigurationProperties("orleans.reminders")
public record ReminderProperties(
        @DefaultValue("jdbc") TableType table,
        @DefaultValue("true") boolean initializeSchema,
        @DefaultValue("1m") Duration minimumPeriod,
        @DefaultValue("5m") Duration refreshPeriod) {

    /** Where reminders are stored. */
    public enum TableType {
        JDBC,
        MEMORY,
        NONE
    }

    public ReminderProperties {
        // Fails startup with the property's name, not at the first registration.
        reminderOptions(minimumPeriod, refreshPeriod);
    }

    /** The runtime's options. */
    public ReminderOptions reminderOptions() {
        return reminderOptions(minimumPeriod, refreshPeriod);
    }

    private static ReminderOptions reminderOptions(Duration minimumPeriod, Duration refreshPeriod) {
        return new ReminderOptions(minimumPeriod, refreshPeriod);
    }
}
