package org.orleans4j.spring.silo.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;

public interface PinnedGrain extends GrainWithStringKey {
    CompletableFuture<String> where();
}
