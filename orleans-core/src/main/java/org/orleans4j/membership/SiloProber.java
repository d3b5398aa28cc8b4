package org.orleans4j.membership;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.runtime.SiloAddress;

/** Checks that another silo answers; the membership protocol's probe. */
@FunctionalInterface
public interface SiloProber {

    /** Completes normally when {@code silo} answered within {@code timeout}, exceptionally otherwise. */
    CompletableFuture<?> probe(SiloAddress silo, Duration timeout);
}
