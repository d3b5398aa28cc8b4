package org.orleans4j.spring.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Runs a real Spring Boot application whose process environment is replaced by a pod's, and
 * checks which of environment and application.yml wins for each option.
 */
class PodEnvironmentPostProcessorTest {

    private static final Map<String, Object> POD = Map.of(
            "ORLEANS_SERVICE_ID", "from-env-service",
            "ORLEANS_CLUSTER_ID", "from-env-cluster",
            "POD_NAME", "dictionary-7d9f-abcde",
            "POD_NAMESPACE", "prod",
            "POD_IP", "10.244.1.17");

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(OrleansAutoConfiguration.class)
    static class App {}

    private static ConfigurableApplicationContext run(String configName, Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        SpringApplication application = new SpringApplication(App.class);
        application.setEnvironment(environment);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application.run("--spring.config.name=" + configName);
    }

    @Test
    void podVariablesOverrideServiceIdClusterIdAndSiloNameFromTheFile() {
        try (ConfigurableApplicationContext context = run("pod-env-configured", POD)) {
            Silo silo = context.getBean(Silo.class);
            assertThat(silo.clusterOptions().serviceId()).isEqualTo("from-env-service");
            assertThat(silo.clusterOptions().clusterId()).isEqualTo("from-env-cluster");
            assertThat(silo.siloOptions().siloName()).isEqualTo("dictionary-7d9f-abcde");
            // A configured advertised address is kept: POD_IP only fills in a missing one.
            assertThat(silo.address().host()).isEqualTo("192.0.2.10");
            assertThat(context.getEnvironment().getProperty("orleans.kubernetes.namespace"))
                    .isEqualTo("prod");
        }
    }

    @Test
    void podIpBecomesTheAdvertisedAddressWhenNoneIsConfigured() {
        try (ConfigurableApplicationContext context = run("pod-env-minimal", POD)) {
            assertThat(context.getBean(Silo.class).address().host()).isEqualTo("10.244.1.17");
        }
    }

    @Test
    void withoutPodVariablesTheFileApplies() {
        try (ConfigurableApplicationContext context = run("pod-env-configured", Map.of())) {
            Silo silo = context.getBean(Silo.class);
            assertThat(silo.clusterOptions().serviceId()).isEqualTo("from-file");
            assertThat(silo.siloOptions().siloName()).isEqualTo("from-file");
            assertThat(silo.address().host()).isEqualTo("192.0.2.10");
            assertThat(context.getEnvironment().getPropertySources().contains(PodEnvironmentPostProcessor.OVERRIDES))
                    .isFalse();
        }
    }

    @Test
    void blankVariablesAreIgnored() {
        try (ConfigurableApplicationContext context = run("pod-env-configured", Map.of("ORLEANS_SERVICE_ID", " "))) {
            assertThat(context.getBean(Silo.class).clusterOptions().serviceId()).isEqualTo("from-file");
        }
    }
}
