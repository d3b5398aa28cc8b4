package org.orleans4j.benchmarks;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;

public class PingGrainImpl extends GrainBase implements PingGrain {
    private long calls;

    @Override
    public CompletableFuture<Long> ping(long value) {
        calls++;
        return CompletableFuture.completedFuture(value + calls);
    }
}
