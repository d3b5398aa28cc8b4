package org.orleans4j.spring.actuate.metrics.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;

/** Answers with what it was given, or fails: a success and a failure to time. */
public class WordGrainImpl extends GrainBase implements WordGrain {

    @Override
    public CompletableFuture<String> echo(String text) {
        return CompletableFuture.completedFuture(text);
    }

    @Override
    public CompletableFuture<Void> fail() {
        return CompletableFuture.failedFuture(new IllegalStateException("expected failure"));
    }
}
