package org.orleans4j.spring.observation;

import io.micrometer.observation.ObservationRegistry;
import org.orleans4j.spring.client.ClusterClientBuilderCustomizer;
import org.orleans4j.spring.silo.SiloBuilderCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * Gives the silo and the cluster client the application's {@link ObservationRegistry}: grain calls
 * (on the caller's and on the grain's side), activations, deactivations, storage operations and
 * reminder ticks become observations, timed by Spring Boot's meter handler and, with Micrometer
 * Tracing, spans whose trace context travels with every call across silos, gateways and clients.
 * {@code management.observations.enable.orleans=false} turns them off.
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnBean(ObservationRegistry.class)
public final class OrleansObservationAutoConfiguration {

    @Bean
    SiloBuilderCustomizer orleansSiloObservations(ObservationRegistry registry) {
        return builder -> builder.observationRegistry(registry);
    }

    @Bean
    ClusterClientBuilderCustomizer orleansClientObservations(ObservationRegistry registry) {
        return builder -> builder.observationRegistry(registry);
    }
}
