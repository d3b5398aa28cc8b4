package org.orleans4j.runtime;

import org.jspecify.annotations.Nullable;
import org.orleans4j.internal.OptionChecks;

/**
 * Where a silo listens and what address it advertises to the cluster.
 *
 * @param siloPort port for silo-to-silo messaging (11111)
 * @param gatewayPort port for cluster clients (30000; 0 disables the gateway)
 * @param advertisedAddress address other silos use to reach this one; {@code null} picks one
 * @param listenAddress address to bind; {@code null} binds every interface
 */
public record EndpointOptions(
        int siloPort,
        int gatewayPort,
        @Nullable String advertisedAddress,
        @Nullable String listenAddress) {

    public static final int DEFAULT_SILO_PORT = 11111;
    public static final int DEFAULT_GATEWAY_PORT = 30000;
    public static final EndpointOptions DEFAULT =
            new EndpointOptions(DEFAULT_SILO_PORT, DEFAULT_GATEWAY_PORT, null, null);

    public EndpointOptions {
        OptionChecks.requirePort(siloPort, "siloPort");
        OptionChecks.requirePort(gatewayPort, "gatewayPort");
    }
}
