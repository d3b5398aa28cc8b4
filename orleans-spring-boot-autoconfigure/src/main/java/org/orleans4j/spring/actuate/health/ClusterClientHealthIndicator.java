package org.orleans4j.spring.actuate.health;

import java.util.List;
import org.orleans4j.client.ClusterClient;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The cluster client's health, as the {@code orleans} indicator in client mode: UP while the client
 * is connected to at least one gateway, DOWN otherwise. The readiness group includes it, so a load
 * balancer sends requests only to clients that can reach the cluster.
 */
public class ClusterClientHealthIndicator implements HealthIndicator {

    private final ClusterClient client;

    public ClusterClientHealthIndicator(ClusterClient client) {
        this.client = client;
    }

    @Override
    public Health health() {
        List<String> gateways = client.isConnected() ? client.connectedGateways() : List.of();
        Health.Builder health = gateways.isEmpty() ? Health.down() : Health.up();
        return health.withDetail("mode", "client")
                .withDetail("connectedGateways", gateways)
                .withDetail("serviceId", client.clusterOptions().serviceId())
                .withDetail("clusterId", client.clusterOptions().clusterId())
                .build();
    }
}
