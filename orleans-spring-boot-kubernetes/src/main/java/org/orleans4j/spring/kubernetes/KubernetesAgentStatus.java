package org.orleans4j.spring.kubernetes;

import java.time.Clock;
import java.time.Instant;

/**
 * The cluster agent's state as health shows it: whether its last call to the Kubernetes API
 * worked, what failed if not, and whether this silo watches the pods.
 */
public final class KubernetesAgentStatus {

    /**
     * One reading.
     *
     * @param healthy whether the last call to the Kubernetes API succeeded
     * @param aligned whether the startup alignment of silos and pods has run
     * @param watching whether this silo is one of the silos watching the pods
     * @param lastFailure the last failure while not healthy, else {@code null}
     * @param lastFailureAt when it happened
     * @param consecutiveFailures failed calls since the last success
     */
    public record Reading(
            boolean healthy,
            boolean aligned,
            boolean watching,
            KubernetesApiFailure lastFailure,
            Instant lastFailureAt,
            int consecutiveFailures) {}

    private final Clock clock;
    private volatile Reading reading = new Reading(true, false, false, null, null, 0);

    KubernetesAgentStatus(Clock clock) {
        this.clock = clock;
    }

    public Reading reading() {
        return reading;
    }

    synchronized void succeeded() {
        Reading r = reading;
        reading = new Reading(true, r.aligned(), r.watching(), null, null, 0);
    }

    synchronized void failed(KubernetesApiFailure failure) {
        Reading r = reading;
        reading = new Reading(false, r.aligned(), r.watching(), failure, clock.instant(), r.consecutiveFailures() + 1);
    }

    synchronized void aligned() {
        Reading r = reading;
        reading = new Reading(
                r.healthy(), true, r.watching(), r.lastFailure(), r.lastFailureAt(), r.consecutiveFailures());
    }

    synchronized void watching(boolean watching) {
        Reading r = reading;
        reading = new Reading(
                r.healthy(), r.aligned(), watching, r.lastFailure(), r.lastFailureAt(), r.consecutiveFailures());
    }
}
