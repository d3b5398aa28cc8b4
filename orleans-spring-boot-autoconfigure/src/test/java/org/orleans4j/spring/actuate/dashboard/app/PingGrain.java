package org.orleans4j.spring.actuate.dashboard.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;

public interface PingGrain extends GrainWithStringKey {

    CompletableFuture<String> ping();

    /** Always fails. */
    CompletableFuture<String> fail();
}
