package org.orleans4j.spring.kubernetes;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the Kubernetes cluster agent: DOWN while its calls to the Kubernetes API fail (with
 * what failed and the missing RBAC rule) or its pod lacks the labels it does not set itself (with
 * those labels), UP otherwise. It is not part of the liveness or readiness
 * groups: a silo whose agent is degraded still serves grains.
 */
public class KubernetesAgentHealthIndicator implements HealthIndicator {

    private final KubernetesAgentStatus status;
    private final PodEnvironment pod;

    public KubernetesAgentHealthIndicator(KubernetesAgentStatus status, PodEnvironment pod) {
        this.status = status;
        this.pod = pod;
    }

    @Override
    public Health health() {
        KubernetesAgentStatus.Reading reading = status.reading();
        Health.Builder health = reading.healthy() ? Health.up() : Health.down();
        health.withDetail("namespace", pod.namespace())
                .withDetail("pod", pod.podName())
                .withDetail("aligned", reading.aligned())
                .withDetail("watching", reading.watching());
        KubernetesApiFailure failure = reading.lastFailure();
        if (failure != null) {
            health.withDetail("error", failure.message())
                    .withDetail("failedAt", String.valueOf(reading.lastFailureAt()))
                    .withDetail("consecutiveFailures", reading.consecutiveFailures());
            if (failure.missingPermission() != null) {
                health.withDetail("missingPermission", failure.missingPermission());
            }
            if (!failure.missingLabels().isEmpty()) {
                health.withDetail("missingLabels", failure.missingLabels());
            }
        }
        return health.build();
    }
}
