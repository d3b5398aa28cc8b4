package org.orleans4j.membership;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.cluster.SiloAddress;

/** Checks that another silo answers: the membership protocol's probes, direct and through another silo. */
public interface SiloProber {

    /** Completes normally when {@code silo} answered within {@code timeout}, exceptionally otherwise. */
    CompletableFuture<?> probe(SiloAddress silo, Duration timeout);

    /**
     * Asks {@code intermediary} to probe {@code target} for this silo: completes with {@code true} when
     * the intermediary reached it, {@code false} when its probe failed, and exceptionally when the
     * intermediary did not answer within {@code timeout} or refused the request.
     */
    CompletableFuture<Boolean> probeIndirectly(SiloAddress intermediary, SiloAddress target, Duration timeout);
}
