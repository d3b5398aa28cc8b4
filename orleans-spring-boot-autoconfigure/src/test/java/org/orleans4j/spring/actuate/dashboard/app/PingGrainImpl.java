package org.orleans4j.spring.actuate.dashboard.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;

public class PingGrainImpl extends GrainBase implements PingGrain {

    @Override
    public CompletableFuture<String> ping() {
        return CompletableFuture.completedFuture(grainId().key());
    }

    @Override
    public CompletableFuture<String> fail() {
        return CompletableFuture.failedFuture(new IllegalStateException("refused on purpose"));
    }
}
