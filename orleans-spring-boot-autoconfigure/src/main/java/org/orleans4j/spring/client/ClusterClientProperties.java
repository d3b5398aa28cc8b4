package org.orleans4j.spring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.orleans4j.cluster.HostPort;
import org.orleans4j.internal.OptionChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Client mode ({@code orleans.client.*}): with {@code enabled=true} the application hosts no silo
 * and calls the grains of a cluster through its gateways instead. Grain calls use the same
 * {@code orleans.messaging.*} options as a silo's, and {@code orleans.serialization.allowed-types}
 * as well.
 *
 * @param enabled Whether this application is a cluster client instead of a silo: no silo is
 *        started, and the GrainFactory bean calls grains in the cluster through its gateways
 * @param gateways Gateways to connect to, as host:port or [ipv6]:port (the silos'
 *        orleans.endpoints.gateway-port);
 *        empty means the gateways of the Active silos in the membership table of the application's
 *        DataSource, which then must be the cluster's database
 * @param serviceId Service id of the cluster; defaults to orleans.cluster.service-id (which the
 *        environment variable ORLEANS_SERVICE_ID overrides)
 * @param clusterId Cluster id of the cluster; defaults to orleans.cluster.cluster-id (which the
 *        environment variable ORLEANS_CLUSTER_ID overrides)
 * @param gatewayRefreshPeriod How often the client re-reads the gateways from the membership table
 *        (also whenever a gateway connection is lost); configured gateways are reconnected with the
 *        orleans.messaging.retry backoff instead
 */
@ConfigurationProperties("orleans.client")
public record ClusterClientProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue List<String> gateways,
        String serviceId,
        String clusterId,
        @DefaultValue("1m") Duration gatewayRefreshPeriod) {

    public ClusterClientProperties {
        gateways = checkGateways(gateways);
        if (serviceId != null) {
            OptionChecks.requireText(serviceId, "orleans.client.service-id");
        }
        if (clusterId != null) {
            OptionChecks.requireText(clusterId, "orleans.client.cluster-id");
        }
        OptionChecks.requirePositive(gatewayRefreshPeriod, "orleans.client.gateway-refresh-period");
    }

    /**
     * The listed gateways, trimmed, without blank entries; each is parsed as the client will parse it
     * ({@link HostPort#parse}), and one that is no address fails, naming its property
     * ({@code orleans.client.gateways[1]}).
     */
    private static List<String> checkGateways(List<String> gateways) {
        if (gateways == null) {
            return List.of();
        }
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < gateways.size(); i++) {
            String gateway = gateways.get(i) == null ? "" : gateways.get(i).trim();
            if (gateway.isEmpty()) {
                continue;
            }
            try {
                HostPort.parse(gateway);
            } catch (IllegalArgumentException e) {
                // Not chained: the startup failure's root cause is this message, which names the property.
                throw new IllegalArgumentException(
                        "orleans.client.gateways[" + i + "] must be a gateway address, host:port or [ipv6]:port with "
                                + "a port between 1 and 65535 (for example 127.0.0.1:30000): " + e.getMessage());
            }
            checked.add(gateway);
        }
        return List.copyOf(checked);
    }
}
