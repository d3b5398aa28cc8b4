package org.orleans4j.spring.observation.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.slf4j.MDC;

public class LoggingGrainImpl extends GrainBase implements LoggingGrain {

    @Override
    public CompletableFuture<String> mdc(String key) {
        return CompletableFuture.completedFuture(String.valueOf(MDC.get(key)));
    }
}
