package org.orleans4j.spring.actuate.health;

import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code orleans} health indicator of the silo, when Spring Boot health is present. The
 * readiness group includes it by default ({@link ProbeDefaultsEnvironmentPostProcessor}).
 */
@AutoConfiguration(after = OrleansAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Silo.class)
@ConditionalOnEnabledHealthIndicator("orleans")
public class OrleansHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "orleansHealthIndicator")
    OrleansHealthIndicator orleansHealthIndicator(Silo silo) {
        return new OrleansHealthIndicator(silo);
    }
}
