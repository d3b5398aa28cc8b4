package org.orleans4j.membership;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.orleans4j.cluster.SiloAddress;

/**
 * A direct probe whose outcome always arrives within the probe timeout: a prober that throws, or whose
 * future never completes, counts as a failed probe instead of stalling suspicion or an indirect probe.
 */
final class DirectProbe {

    private DirectProbe() {}

    static CompletableFuture<?> within(SiloProber prober, SiloAddress target, Duration timeout) {
        CompletableFuture<?> direct;
        try {
            direct = prober.probe(target, timeout);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return direct.copy().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
