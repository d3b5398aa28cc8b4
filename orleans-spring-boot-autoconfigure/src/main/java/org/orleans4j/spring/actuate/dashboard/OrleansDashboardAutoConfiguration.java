package org.orleans4j.spring.actuate.dashboard;

import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.orleans4j.spring.silo.SiloBuilderCustomizer;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The dashboard page ({@code orleansdashboard} Actuator endpoint) and the call counting behind it, when
 * Actuator is present, the application hosts a silo, {@code orleans.dashboard.enabled=true}, and the
 * endpoint is available (access not {@code none}, exposed over the web). Without all of these the silo
 * counts nothing for it.
 */
@AutoConfiguration(after = OrleansAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(Silo.class)
@ConditionalOnBooleanProperty("orleans.dashboard.enabled")
@ConditionalOnAvailableEndpoint(endpoint = OrleansDashboardEndpoint.class, exposure = EndpointExposure.WEB)
@EnableConfigurationProperties(OrleansDashboardProperties.class)
public class OrleansDashboardAutoConfiguration {

    @Bean(destroyMethod = "close")
    DashboardCounters orleansDashboardCounters(OrleansDashboardProperties properties) {
        return new DashboardCounters(properties.busiestGrains().enabled());
    }

    @Bean
    SiloBuilderCustomizer orleansDashboardCustomizer(DashboardCounters counters) {
        return counters.customizer();
    }

    @Bean
    @ConditionalOnMissingBean
    OrleansDashboardEndpoint orleansDashboardEndpoint(
            Silo silo, DashboardCounters counters, OrleansDashboardProperties properties) {
        DashboardReader reader = new DashboardReader(
                silo,
                counters.calls(),
                counters.busiest(),
                properties.busiestGrains().limit(),
                properties.refreshInterval(),
                System::nanoTime,
                System::currentTimeMillis);
        return new OrleansDashboardEndpoint(
                new DashboardPage(properties.refreshInterval().toMillis()), reader);
    }
}
