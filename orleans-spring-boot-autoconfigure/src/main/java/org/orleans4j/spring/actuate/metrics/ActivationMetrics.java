package org.orleans4j.spring.actuate.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.orleans4j.catalog.ActivationStatistics;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.runtime.Silo;

/**
 * {@code orleans.activations} (live activations), {@code orleans.activations.creations} and
 * {@code orleans.activations.collections} (activations created, and collected because idle, since
 * start), each tagged by grain type. One series per grain class of the silo, registered up front: a
 * type with no activation yet shows 0 rather than nothing. The catalog keeps the counts as
 * activations come and go, so a scrape reads a few numbers.
 * <p>
 * Not {@code orleans.activations.created}: Prometheus reserves the {@code _created} suffix (a
 * counter's creation time) and its client drops such a counter from the scrape.
 */
public final class ActivationMetrics implements MeterBinder {

    private final Silo silo;

    public ActivationMetrics(Silo silo) {
        this.silo = silo;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        ActivationStatistics statistics = silo.diagnostics().activationStatistics();
        for (GrainClassMetadata grainClass : silo.grainTypes().grainClasses()) {
            String type = grainClass.typeName();
            Gauge.builder("orleans.activations", statistics, s -> s.activations(type))
                    .description("Activations of the grain type on this silo")
                    .tag(MeterTags.GRAIN_TYPE, type)
                    .strongReference(true)
                    .register(registry);
            FunctionCounter.builder("orleans.activations.creations", statistics, s -> s.createdCount(type))
                    .description("Activations of the grain type created on this silo since it started")
                    .tag(MeterTags.GRAIN_TYPE, type)
                    .register(registry);
            FunctionCounter.builder("orleans.activations.collections", statistics, s -> s.collectedCount(type))
                    .description("Activations of the grain type deactivated because they were idle")
                    .tag(MeterTags.GRAIN_TYPE, type)
                    .register(registry);
        }
    }
}
