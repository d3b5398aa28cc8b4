package org.orleans4j.example.probe;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.ReadOnly;

/** A counter that keeps its count in memory and writes it only when it deactivates (write-behind). */
public interface TallyGrain extends GrainWithStringKey {

    /** Adds one; returns the new total. */
    CompletableFuture<Long> increment();

    @ReadOnly
    CompletableFuture<Long> total();
}
