package org.orleans4j.spring.actuate.endpoint.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;

public interface WordGrain extends GrainWithStringKey {
    CompletableFuture<String> echo();
}
