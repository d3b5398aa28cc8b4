package org.orleans4j.spring.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.spring.actuate.health.ClusterClientHealthAutoConfiguration;
import org.orleans4j.spring.actuate.health.ClusterClientHealthIndicator;
import org.orleans4j.spring.actuate.health.OrleansHealthAutoConfiguration;
import org.orleans4j.spring.actuate.health.OrleansHealthIndicator;
import org.orleans4j.spring.client.app.ClientTestApplication;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code orleans} health indicator in client mode: present, absent, disabled, and what it says. */
class ClusterClientHealthTest {

    private static GatewaySilos.GatewaySilo silo;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        OrleansAutoConfiguration.class,
                        ClusterClientAutoConfiguration.class,
                        OrleansHealthAutoConfiguration.class,
                        ClusterClientHealthAutoConfiguration.class))
                .withUserConfiguration(ClientTestApplication.class)
                .withPropertyValues(
                        "orleans.client.enabled=true",
                        "orleans.client.gateways=" + silo.gateway(),
                        "orleans.cluster.service-id=" + GatewaySilos.SERVICE_ID,
                        "orleans.cluster.cluster-id=" + GatewaySilos.CLUSTER_ID);
    }

    @BeforeAll
    static void startSilo() {
        silo = GatewaySilos.standalone("health-silo");
    }

    @AfterAll
    static void stopSilo() {
        if (silo != null) {
            silo.close();
        }
    }

    @Test
    void aConnectedClientIsUpWithItsGatewaysThenDownWhenClosed() {
        runner().run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(ClusterClientHealthIndicator.class)
                    .doesNotHaveBean(OrleansHealthIndicator.class)
                    .hasBean("orleansHealthIndicator");
            HealthIndicator indicator = context.getBean(ClusterClientHealthIndicator.class);
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails())
                    .containsEntry("mode", "client")
                    .containsEntry("connectedGateways", List.of(silo.gateway()))
                    .containsEntry("serviceId", GatewaySilos.SERVICE_ID)
                    .containsEntry("clusterId", GatewaySilos.CLUSTER_ID);

            context.getBean(ClusterClient.class).close();
            Health closed = indicator.health();
            assertThat(closed.getStatus()).isEqualTo(Status.DOWN);
            assertThat(closed.getDetails()).containsEntry("connectedGateways", List.of());
        });
    }

    @Test
    void noIndicatorWithoutSpringBootHealth() {
        runner().withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ClusterClientHealthIndicator.class));
    }

    @Test
    void theIndicatorCanBeDisabled() {
        runner().withPropertyValues("management.health.orleans.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ClusterClientHealthIndicator.class));
    }
}
