package org.orleans4j.spring.actuate.health;

import org.orleans4j.client.ClusterClient;
import org.orleans4j.spring.client.ClusterClientAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code orleans} health indicator in client mode, when Spring Boot health is present: the
 * readiness group includes it by default ({@link ProbeDefaultsEnvironmentPostProcessor}), as it
 * includes the silo's in silo mode.
 */
@AutoConfiguration(after = ClusterClientAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ClusterClient.class)
@ConditionalOnEnabledHealthIndicator("orleans")
public class ClusterClientHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "orleansHealthIndicator")
    ClusterClientHealthIndicator orleansHealthIndicator(ClusterClient client) {
        return new ClusterClientHealthIndicator(client);
    }
}
