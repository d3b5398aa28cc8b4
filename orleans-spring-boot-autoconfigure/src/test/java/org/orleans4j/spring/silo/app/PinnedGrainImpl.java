package org.orleans4j.spring.silo.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;

/** Uses the application's custom placement strategy through its annotation. */
@PinnedPlacement
public class PinnedGrainImpl extends GrainBase implements PinnedGrain {
    @Override
    public CompletableFuture<String> where() {
        return CompletableFuture.completedFuture(primaryKeyString());
    }
}
