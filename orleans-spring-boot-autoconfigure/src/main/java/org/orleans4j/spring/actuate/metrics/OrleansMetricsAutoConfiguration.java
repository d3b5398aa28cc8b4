package org.orleans4j.spring.actuate.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.orleans4j.spring.silo.SiloBuilderCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of the silo, when Micrometer and a meter registry are present (Spring Boot
 * Actuator brings both). The meters are {@link io.micrometer.core.instrument.binder.MeterBinder}
 * beans, which Spring Boot binds to its registry; the grain call timer is also the silo's
 * {@link org.orleans4j.catalog.GrainCallObserver}, installed before the silo is built.
 * {@code orleans.metrics.enabled=false} turns it all off.
 */
// Names, not classes: Spring Boot's metrics module is optional, and without it there is no registry to bind to.
@AutoConfiguration(
        after = OrleansAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
        })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({Silo.class, MeterRegistry.class})
@ConditionalOnBooleanProperty(name = "orleans.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(OrleansMetricsProperties.class)
public class OrleansMetricsAutoConfiguration {

    @Bean
    GrainCallMetrics orleansGrainCallMetrics(OrleansMetricsProperties properties) {
        return new GrainCallMetrics(properties.grainCalls().histogram());
    }

    @Bean
    SiloBuilderCustomizer orleansGrainCallMetricsCustomizer(GrainCallMetrics grainCallMetrics) {
        return builder -> builder.grainCallObserver(grainCallMetrics);
    }

    @Bean
    ActivationMetrics orleansActivationMetrics(Silo silo) {
        return new ActivationMetrics(silo);
    }

    @Bean
    MessagingMetrics orleansMessagingMetrics(Silo silo) {
        return new MessagingMetrics(silo);
    }

    @Bean
    MembershipMetrics orleansMembershipMetrics(Silo silo) {
        return new MembershipMetrics(silo);
    }

    @Bean
    DirectoryCacheMetrics orleansDirectoryCacheMetrics(Silo silo) {
        return new DirectoryCacheMetrics(silo);
    }
}
