package org.orleans4j.spring.actuate.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.jdbc.JdbcGrainStorageAutoConfiguration;
import org.orleans4j.spring.membership.JdbcClusteringAutoConfiguration;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.orleans4j.spring.silo.app.GrainTestApplication;
import org.orleans4j.spring.silo.app.PinnedDirector;
import org.orleans4j.testing.db.H2Databases;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;

/** The {@code orleans} health indicator: when it exists, and what it says in each silo status. */
class OrleansHealthAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    JdbcGrainStorageAutoConfiguration.class,
                    JdbcClusteringAutoConfiguration.class,
                    OrleansAutoConfiguration.class,
                    OrleansHealthAutoConfiguration.class))
            .withUserConfiguration(GrainTestApplication.class, Directors.class)
            .withPropertyValues(
                    H2Databases.springDataSourceUrl("health"),
                    "orleans.cluster.cluster-id=health",
                    "orleans.endpoints.silo-port=0",
                    "orleans.endpoints.gateway-port=0",
                    "orleans.endpoints.advertised-address=127.0.0.1",
                    "orleans.endpoints.listen-address=127.0.0.1");

    @Configuration(proxyBeanMethods = false)
    static class Directors {
        @Bean
        PinnedDirector pinnedDirector() {
            return new PinnedDirector();
        }
    }

    @Test
    void anActiveSiloIsUpWithItsDetails() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(OrleansHealthIndicator.class);
            Health health = context.getBean(OrleansHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails())
                    .containsEntry("status", "ACTIVE")
                    .containsEntry("clusterSize", 1)
                    .containsEntry("clusterId", "health")
                    .containsEntry("silo", context.getBean(Silo.class).address().toString());
        });
    }

    @Test
    void aClusteredSiloThatLeavesIsOutOfServiceThenDown() {
        runner.withPropertyValues("orleans.clustering.enabled=true").run(context -> {
            Silo silo = context.getBean(Silo.class);
            HealthIndicator indicator = context.getBean(OrleansHealthIndicator.class);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

            // The first step of a graceful leave: the table says ShuttingDown while the silo still runs.
            silo.membership().shutDown().join();
            Health leaving = indicator.health();
            assertThat(leaving.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(leaving.getDetails()).containsEntry("status", "SHUTTING_DOWN");

            silo.stop(Duration.ofSeconds(10));
            assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void noIndicatorWithoutSpringBootHealth() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OrleansHealthIndicator.class));
    }

    @Test
    void theIndicatorCanBeDisabled() {
        runner.withPropertyValues("management.health.orleans.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OrleansHealthIndicator.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {}

    private static ConfigurableApplicationContext runWith(String... args) {
        SpringApplication application = new SpringApplication(Empty.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setEnvironment(new StandardEnvironment());
        return application.run(args);
    }

    @Test
    void probesAreOnAndReadinessIncludesTheSiloByDefault() {
        try (ConfigurableApplicationContext context = runWith()) {
            assertThat(context.getEnvironment().getProperty("management.endpoint.health.probes.enabled"))
                    .isEqualTo("true");
            assertThat(context.getEnvironment().getProperty("management.endpoint.health.group.readiness.include"))
                    .isEqualTo("readinessState,orleans,orleansStorage");
        }
    }

    @Test
    void theApplicationsOwnProbeSettingsWin() {
        try (ConfigurableApplicationContext context = runWith(
                "--management.endpoint.health.group.readiness.include=readinessState,db",
                "--management.endpoint.health.probes.enabled=false")) {
            assertThat(context.getEnvironment().getProperty("management.endpoint.health.group.readiness.include"))
                    .isEqualTo("readinessState,db");
            assertThat(context.getEnvironment().getProperty("management.endpoint.health.probes.enabled"))
                    .isEqualTo("false");
        }
    }

    @Test
    void readinessLeavesOutADisabledIndicator() {
        try (ConfigurableApplicationContext context = runWith("--management.health.orleans.enabled=false")) {
            assertThat(context.getEnvironment().getProperty("management.endpoint.health.group.readiness.include"))
                    .isEqualTo("readinessState,orleansStorage");
        }
        try (ConfigurableApplicationContext context = runWith(
                "--management.health.orleans.enabled=false", "--management.health.orleans-storage.enabled=false")) {
            assertThat(context.getEnvironment().getProperty("management.endpoint.health.group.readiness.include"))
                    .isNull();
        }
    }

    @Test
    void aClientsReadinessHasNoStorageIndicator() {
        try (ConfigurableApplicationContext context = runWith("--orleans.client.enabled=true")) {
            assertThat(context.getEnvironment().getProperty("management.endpoint.health.group.readiness.include"))
                    .isEqualTo("readinessState,orleans");
        }
    }
}
