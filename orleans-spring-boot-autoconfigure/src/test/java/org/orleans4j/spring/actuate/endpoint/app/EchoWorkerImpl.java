package org.orleans4j.spring.actuate.endpoint.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.placement.StatelessWorker;

@StatelessWorker(maxLocalWorkers = 3)
public class EchoWorkerImpl extends GrainBase implements EchoWorker {

    @Override
    public CompletableFuture<String> echo(String text) {
        return CompletableFuture.completedFuture(text);
    }
}
