package org.orleans4j.spring.actuate.health;

import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.membership.ClusterMembershipService;
import org.orleans4j.runtime.Silo;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The silo's health: UP only while it is Active (it takes calls and new activations),
 * OUT_OF_SERVICE while it joins or drains, DOWN once Dead. The readiness group includes it, so a
 * load balancer sends requests only to Active silos; the liveness group does not.
 */
public class OrleansHealthIndicator implements HealthIndicator {

    private final Silo silo;

    public OrleansHealthIndicator(Silo silo) {
        this.silo = silo;
    }

    @Override
    public Health health() {
        SiloStatus status = silo.status();
        ClusterMembershipService membership = silo.membership();
        if (membership != null && status == SiloStatus.ACTIVE && membership.localStatus() != SiloStatus.ACTIVE) {
            // The silo runs, but the cluster no longer counts it Active (it is leaving or was declared Dead).
            status = membership.localStatus();
        }
        Health.Builder health = Health.status(statusOf(status))
                .withDetail("status", status.name())
                .withDetail("silo", silo.address().toString())
                .withDetail("name", silo.siloOptions().siloName())
                .withDetail("serviceId", silo.clusterOptions().serviceId())
                .withDetail("clusterId", silo.clusterOptions().clusterId());
        int clusterSize = membership == null
                ? (status == SiloStatus.ACTIVE ? 1 : 0)
                : membership.currentSnapshot().activeSilos().size();
        return health.withDetail("clusterSize", clusterSize).build();
    }

    private static Status statusOf(SiloStatus status) {
        return switch (status) {
            case ACTIVE -> Status.UP;
            case DEAD -> Status.DOWN;
            default -> Status.OUT_OF_SERVICE;
        };
    }
}
