package org.orleans4j.reminders;

import java.time.Duration;
import org.orleans4j.internal.OptionChecks;

/**
 * How a silo runs durable reminders.
 *
 * @param minimumPeriod the shortest period a reminder may have: reminders are for coarse, durable
 *     schedules (each tick is a write to the reminder table); use a grain timer for shorter ones. One
 *     minute, as in Orleans; tests lower it.
 * @param refreshPeriod how often a silo reads its ranges of the reminder table again, to pick up
 *     reminders written by silos whose notice did not reach it
 */
public record ReminderOptions(Duration minimumPeriod, Duration refreshPeriod) {

    public static final ReminderOptions DEFAULTS = new ReminderOptions(Duration.ofMinutes(1), Duration.ofMinutes(5));

    public ReminderOptions {
        OptionChecks.requirePositive(minimumPeriod, "orleans.reminders.minimum-period");
        OptionChecks.requirePositive(refreshPeriod, "orleans.reminders.refresh-period");
    }
}
