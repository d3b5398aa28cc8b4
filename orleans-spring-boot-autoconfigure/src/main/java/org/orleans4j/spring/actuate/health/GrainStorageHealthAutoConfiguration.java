package org.orleans4j.spring.actuate.health;

import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.jdbc.DatabaseReachability;
import org.orleans4j.spring.jdbc.JdbcGrainStorageAutoConfiguration;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code orleansStorage} health indicator of the silo, when Spring Boot health is present. It
 * exists with every silo (UP when there is nothing to check), so the readiness group can include it
 * by default ({@link ProbeDefaultsEnvironmentPostProcessor}).
 */
@AutoConfiguration(after = {JdbcGrainStorageAutoConfiguration.class, OrleansAutoConfiguration.class})
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Silo.class)
@ConditionalOnEnabledHealthIndicator("orleans-storage")
public class GrainStorageHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "orleansStorageHealthIndicator")
    GrainStorageHealthIndicator orleansStorageHealthIndicator(ObjectProvider<DatabaseReachability> database) {
        return new GrainStorageHealthIndicator(database.getIfAvailable());
    }
}
