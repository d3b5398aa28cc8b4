package org.orleans4j.spring.actuate.endpoint.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;

public interface EchoWorker extends GrainWithStringKey {
    CompletableFuture<String> echo(String text);
}
