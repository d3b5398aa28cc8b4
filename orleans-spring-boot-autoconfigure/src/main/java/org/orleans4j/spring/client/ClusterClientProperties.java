package org.orleans4j.spring.client;

import java.time.Duration;
import java.util.List;
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
 * @param gateways Gateways to connect to, as host:port (the silos' orleans.endpoints.gateway-port);
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
        gateways = gateways == null
                ? List.of()
                : gateways.stream().map(String::trim).filter(g -> !g.isEmpty()).toList();
        gateways.forEach(ClusterClientProperties::checkGateway);
        if (serviceId != null) {
            OptionChecks.requireText(serviceId, "orleans.client.service-id");
        }
        if (clusterId != null) {
            OptionChecks.requireText(clusterId, "orleans.client.cluster-id");
        }
        OptionChecks.requirePositive(gatewayRefreshPeriod, "orleans.client.gateway-refresh-period");
    }

    private static void checkGateway(String gateway) {
        int colon = gateway.lastIndexOf(':');
        String host = colon < 0 ? "" : gateway.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        if (colon >= 0) {
            try {
                port = Integer.parseInt(gateway.substring(colon + 1));
            } catch (NumberFormatException notANumber) {
                port = -1;
            }
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("orleans.client.gateways must list host:port endpoints with a port "
                    + "between 1 and 65535 (for example 127.0.0.1:30000), was '" + gateway + "'");
        }
    }
}
