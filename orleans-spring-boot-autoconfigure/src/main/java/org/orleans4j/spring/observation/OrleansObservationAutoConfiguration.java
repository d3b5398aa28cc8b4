package org.orleans4j.spring.observation;

import io.micrometer.observation.ObservationRegistry;
import org.orleans4j.spring.client.ClusterClientBuilderCustomizer;
import org.orleans4j.spring.silo.SiloBuilderCustomizer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * Gives the silo and the cluster client the application's {@link ObservationRegistry}: activations,
 * deactivations, storage operations and reminder ticks become observations, and so do grain calls (on
 * the caller's and on the grain's side) when tracing is on ({@link OrleansObservationProperties}). With
 * Micrometer Tracing they are spans, and the trace context travels with every call across silos,
 * gateways and clients. {@code management.observations.enable.orleans=false} turns them off.
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnBean(ObservationRegistry.class)
@EnableConfigurationProperties(OrleansObservationProperties.class)
public final class OrleansObservationAutoConfiguration {

    private static final String TRACER = "io.micrometer.tracing.Tracer";

    @Bean
    SiloBuilderCustomizer orleansSiloObservations(
            ObservationRegistry registry, OrleansObservationProperties properties, ListableBeanFactory beans) {
        return builder -> builder.observationRegistry(registry).observeGrainCalls(observeGrainCalls(properties, beans));
    }

    @Bean
    ClusterClientBuilderCustomizer orleansClientObservations(
            ObservationRegistry registry, OrleansObservationProperties properties, ListableBeanFactory beans) {
        return builder -> builder.observationRegistry(registry).observeGrainCalls(observeGrainCalls(properties, beans));
    }

    /** Decided when the silo or client is built, by when every bean, a tracer among them, is defined. */
    static boolean observeGrainCalls(OrleansObservationProperties properties, ListableBeanFactory beans) {
        return switch (properties.grainCalls()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> hasTracer(beans);
        };
    }

    private static boolean hasTracer(ListableBeanFactory beans) {
        ClassLoader loader = OrleansObservationAutoConfiguration.class.getClassLoader();
        if (!ClassUtils.isPresent(TRACER, loader)) {
            return false;
        }
        Class<?> tracer = ClassUtils.resolveClassName(TRACER, loader);
        return beans.getBeanNamesForType(tracer, false, false).length > 0;
    }
}
