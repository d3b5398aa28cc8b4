package org.orleans4j.spring.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.orleans4j.spring.actuate.endpoint.app.EndpointTestApplication;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** When the {@code orleans} endpoint exists: Actuator present, a silo hosted, the endpoint enabled and exposed. */
class OrleansEndpointAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(OrleansAutoConfiguration.class, OrleansEndpointAutoConfiguration.class))
            .withUserConfiguration(EndpointTestApplication.class)
            .withPropertyValues("orleans.endpoints.silo-port=0", "orleans.endpoints.gateway-port=0");

    private final ApplicationContextRunner exposed =
            runner.withPropertyValues("management.endpoints.web.exposure.include=health,orleans");

    @Test
    void presentWhenExposedOverTheWeb() {
        exposed.run(context -> assertThat(context).hasNotFailed().hasSingleBean(OrleansEndpoint.class));
    }

    @Test
    void presentWhenExposedOverJmxAndReadableThere() {
        String domain = "orleans-test-" + UUID.randomUUID();
        runner.withConfiguration(AutoConfigurations.of(
                        JmxAutoConfiguration.class,
                        EndpointAutoConfiguration.class,
                        JmxEndpointAutoConfiguration.class))
                .withPropertyValues(
                        "spring.jmx.enabled=true",
                        "management.endpoints.jmx.exposure.include=orleans",
                        "management.endpoints.jmx.domain=" + domain)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(OrleansEndpoint.class);
                    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                    ObjectName name = new ObjectName(domain + ":type=Endpoint,name=Orleans");
                    Object summary = server.invoke(name, "summary", new Object[0], new String[0]);
                    assertThat(summary).isInstanceOf(Map.class);
                    assertThat(((Map<?, ?>) summary).get("serviceId")).isEqualTo("default");
                    Object placement = server.invoke(
                            name, "section", new Object[] {"placement"}, new String[] {String.class.getName()});
                    assertThat(((Map<?, ?>) placement).get("defaultStrategy")).isEqualTo("RandomPlacement");
                });
    }

    @Test
    void absentWhenNotExposed() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OrleansEndpoint.class));
        runner.withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OrleansEndpoint.class));
    }

    @Test
    void absentWhenDisabled() {
        exposed.withPropertyValues("management.endpoint.orleans.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OrleansEndpoint.class));
        exposed.withPropertyValues("management.endpoint.orleans.access=NONE")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OrleansEndpoint.class));
    }

    @Test
    void absentWithoutActuator() {
        exposed.withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OrleansEndpoint.class));
    }

    @Test
    void absentWithoutASilo() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(OrleansEndpointAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=orleans")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OrleansEndpoint.class));
    }
}
