package org.orleans4j.spring.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A cluster client hosts no silo, so Kubernetes hosting stays off in client mode even when it is
 * enabled. Moved here from ClusterClientAutoConfigurationTest with the Kubernetes module; it needs
 * no connected client, only the client-mode condition.
 */
class KubernetesHostingClientModeTest {

    @Test
    void kubernetesHostingIsOffInClientMode() {
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(OrleansAutoConfiguration.class, KubernetesHostingAutoConfiguration.class))
                .withPropertyValues(
                        "orleans.client.enabled=true",
                        "orleans.kubernetes.enabled=true",
                        "orleans.kubernetes.pod-name=client-0",
                        "orleans.kubernetes.namespace=ns")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(PodEnvironment.class));
    }
}
