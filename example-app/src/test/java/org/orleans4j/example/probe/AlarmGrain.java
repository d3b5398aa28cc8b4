package org.orleans4j.example.probe;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;

/** Registers a durable reminder whose ticks it logs, for tests that count ticks across silo processes. */
public interface AlarmGrain extends GrainWithStringKey {

    /** Registers (or replaces) the reminder "alarm", first due now, then every {@code periodMillis}. */
    CompletableFuture<Void> arm(long periodMillis);
}
