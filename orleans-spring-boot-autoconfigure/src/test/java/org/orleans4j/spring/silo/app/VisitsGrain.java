package org.orleans4j.spring.silo.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;

public interface VisitsGrain extends GrainWithStringKey {
    CompletableFuture<Integer> visit();
}
