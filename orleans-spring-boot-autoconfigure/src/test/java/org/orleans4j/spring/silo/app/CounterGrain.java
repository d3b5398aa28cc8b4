package org.orleans4j.spring.silo.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithLongKey;

public interface CounterGrain extends GrainWithLongKey {
    CompletableFuture<Long> increment();
}
