package org.orleans4j.example.rolling;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;

/** An order; build v2 raises its version and adds a method. */
public interface OrderGrain extends GrainWithStringKey {

    /** Adds a line; the count of lines after it, once stored. */
    CompletableFuture<Long> add(LineItem item);

    CompletableFuture<Long> lines();
}
