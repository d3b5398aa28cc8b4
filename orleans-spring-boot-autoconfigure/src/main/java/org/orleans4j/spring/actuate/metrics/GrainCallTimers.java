package org.orleans4j.spring.actuate.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code orleans.grain.calls} timers of one registry, made once per grain type, method and
 * outcome and then looked up: a call costs two map reads, no meter building and no allocation.
 * Types and methods come from the silo's grain classes, so the number of timers is bounded.
 */
final class GrainCallTimers {

    static final String NAME = "orleans.grain.calls";

    private final MeterRegistry registry;
    private final boolean histogram;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Timer>> succeeded = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Timer>> failed = new ConcurrentHashMap<>();

    GrainCallTimers(MeterRegistry registry, boolean histogram) {
        this.registry = registry;
        this.histogram = histogram;
    }

    Timer timer(String grainType, String method, boolean failure) {
        ConcurrentHashMap<String, ConcurrentHashMap<String, Timer>> byType = failure ? failed : succeeded;
        ConcurrentHashMap<String, Timer> byMethod = byType.get(grainType);
        if (byMethod == null) {
            byMethod = byType.computeIfAbsent(grainType, t -> new ConcurrentHashMap<>());
        }
        Timer timer = byMethod.get(method);
        if (timer == null) {
            timer = byMethod.computeIfAbsent(method, m -> build(grainType, m, failure));
        }
        return timer;
    }

    private Timer build(String grainType, String method, boolean failure) {
        Timer.Builder builder = Timer.builder(NAME)
                .description("Grain calls made through this silo, from the call until its result arrived")
                .tag(MeterTags.GRAIN_TYPE, grainType)
                .tag("method", method)
                .tag("outcome", failure ? "failure" : "success");
        if (histogram) {
            // Left unset otherwise, so management.metrics.distribution.percentiles-histogram can still turn it on.
            builder.publishPercentileHistogram();
        }
        return builder.register(registry);
    }
}
