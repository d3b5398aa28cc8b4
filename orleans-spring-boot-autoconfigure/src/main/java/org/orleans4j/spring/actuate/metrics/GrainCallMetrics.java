package org.orleans4j.spring.actuate.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.orleans4j.catalog.GrainCallObserver;

/**
 * The {@code orleans.grain.calls} timer, tagged by grain type, method and outcome
 * ({@code success} / {@code failure}), timed on the caller's side (remote calls include the network
 * and any retries).
 * <p>
 * The silo is built, with this observer, before any meter registry may exist; the registry arrives
 * later through {@link #bindTo}. Calls completed before that are not recorded (in practice none: the
 * silo starts after Spring Boot has bound its meter binders).
 */
public final class GrainCallMetrics implements GrainCallObserver, MeterBinder {

    private final boolean histogram;
    /** One entry per registry bound (Spring Boot binds one); copied on bind, read without locks on each call. */
    private volatile List<GrainCallTimers> timers = List.of();

    public GrainCallMetrics(boolean histogram) {
        this.histogram = histogram;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        List<GrainCallTimers> bound = new ArrayList<>(timers);
        bound.add(new GrainCallTimers(registry, histogram));
        timers = List.copyOf(bound);
    }

    @Override
    public void observe(String grainType, String method, long nanos, boolean failed) {
        for (GrainCallTimers registryTimers : timers) {
            registryTimers.timer(grainType, method, failed).record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
