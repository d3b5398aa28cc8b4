package org.orleans4j.spring.client.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.spring.grain.GrainComponent;

/** Runs on the test's silo; in a client application of this package it is no bean. */
@GrainComponent
public class EchoGrainImpl extends GrainBase implements EchoGrain {

    @Override
    public CompletableFuture<String> echo(String text) {
        return CompletableFuture.completedFuture(primaryKeyString() + ": " + text);
    }
}
