package org.orleans4j.spring.client.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;

public interface EchoGrain extends GrainWithStringKey {

    /** {@code text}, prefixed with the grain's key. */
    CompletableFuture<String> echo(String text);
}
