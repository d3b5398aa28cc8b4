package org.orleans4j.spring.actuate.endpoint.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithLongKey;

public interface NoteGrain extends GrainWithLongKey {
    CompletableFuture<Long> id();
}
