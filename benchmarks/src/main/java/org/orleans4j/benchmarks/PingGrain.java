package org.orleans4j.benchmarks;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithLongKey;

/** The benchmark grain: one call that does nothing but answer. */
public interface PingGrain extends GrainWithLongKey {
    CompletableFuture<Long> ping(long value);
}
