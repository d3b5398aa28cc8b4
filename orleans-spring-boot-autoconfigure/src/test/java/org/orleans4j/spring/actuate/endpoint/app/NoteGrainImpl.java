package org.orleans4j.spring.actuate.endpoint.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;

/** No placement annotation: the default strategy. */
public class NoteGrainImpl extends GrainBase implements NoteGrain {

    @Override
    public CompletableFuture<Long> id() {
        return CompletableFuture.completedFuture(grainId().keyAsLong());
    }
}
