package org.orleans4j.example.probe;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.Remindable;
import org.orleans4j.grain.TickStatus;
import org.orleans4j.spring.grain.GrainComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each tick it receives as {@code REMINDER-TICK <key> <tick epoch millis>}, which the test reads back. */
@GrainComponent
public class AlarmGrainImpl extends GrainBase implements AlarmGrain, Remindable {

    private static final Logger log = LoggerFactory.getLogger(AlarmGrainImpl.class);

    @Override
    public CompletableFuture<Void> arm(long periodMillis) {
        return registerOrUpdateReminder("alarm", Duration.ZERO, Duration.ofMillis(periodMillis))
                .thenApply(reminder -> null);
    }

    @Override
    public CompletableFuture<Void> receiveReminder(String reminderName, TickStatus status) {
        log.info(
                "REMINDER-TICK {} {}",
                primaryKeyString(),
                status.currentTickTime().toEpochMilli());
        return CompletableFuture.completedFuture(null);
    }
}
