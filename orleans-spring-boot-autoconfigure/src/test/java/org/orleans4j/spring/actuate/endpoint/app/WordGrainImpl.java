package org.orleans4j.spring.actuate.endpoint.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.placement.ActivationCountBasedPlacement;

/** Placed by activation count, so the placement section shows what that strategy compares. */
@ActivationCountBasedPlacement
public class WordGrainImpl extends GrainBase implements WordGrain {

    @Override
    public CompletableFuture<String> echo() {
        return CompletableFuture.completedFuture(grainId().key());
    }
}
