package org.orleans4j.spring.kubernetes;

import org.orleans4j.runtime.EndpointOptions;
import org.orleans4j.runtime.SiloBuilder;
import org.orleans4j.runtime.SiloOptions;
import org.orleans4j.spring.autoconfigure.OrleansProperties;
import org.orleans4j.spring.silo.SiloBuilderCustomizer;

/**
 * Names the silo after its pod and makes it reachable across pods: it advertises the pod IP (or
 * the address its pod name resolves to) unless an address is configured, and listens on every
 * interface unless a listen address is configured.
 */
class PodSiloCustomizer implements SiloBuilderCustomizer {

    static final String ANY_ADDRESS = "0.0.0.0";

    private final PodEnvironment pod;
    private final OrleansProperties properties;

    PodSiloCustomizer(PodEnvironment pod, OrleansProperties properties) {
        this.pod = pod;
        this.properties = properties;
    }

    @Override
    public void customize(SiloBuilder builder) {
        OrleansProperties.Endpoints endpoints = properties.endpoints();
        String advertised =
                endpoints.advertisedAddress() != null ? endpoints.advertisedAddress() : pod.advertisedAddress();
        String listen = endpoints.listenAddress() != null ? endpoints.listenAddress() : ANY_ADDRESS;
        builder.endpointOptions(new EndpointOptions(endpoints.siloPort(), endpoints.gatewayPort(), advertised, listen));
        // The agent matches pods to silos by name, so the silo name must be the pod name.
        builder.siloOptions(new SiloOptions(pod.podName(), properties.silo().role()));
    }
}
