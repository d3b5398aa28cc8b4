package org.orleans4j.spring.observation.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;

public interface LoggingGrain extends GrainWithStringKey {

    /** What the logging MDC held under {@code key} while the grain ran. */
    CompletableFuture<String> mdc(String key);
}
