package org.orleans4j.grain;

import java.util.concurrent.CompletableFuture;

/**
 * A grain that receives durable reminders. Its class implements this interface (a grain interface may
 * extend it too) and registers reminders by name with {@link GrainContext#registerOrUpdateReminder}.
 * A tick is delivered as a grain call: it activates the grain when it is not active, runs as a turn like
 * any request, and goes to whichever silo hosts the grain, while the silo that owns the reminder's part
 * of the ring schedules it.
 */
public interface Remindable extends Grain {

    /**
     * One tick of the reminder {@code reminderName}. A tick that fails is logged and the reminder goes
     * on; a tick is not retried.
     */
    CompletableFuture<Void> receiveReminder(String reminderName, TickStatus status);
}
