package org.orleans4j.spring.actuate.metrics.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;

public interface WordGrain extends GrainWithStringKey {

    CompletableFuture<String> echo(String text);

    CompletableFuture<Void> fail();
}
