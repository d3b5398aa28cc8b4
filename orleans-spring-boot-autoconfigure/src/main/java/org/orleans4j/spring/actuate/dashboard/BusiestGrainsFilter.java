package org.orleans4j.spring.actuate.dashboard;

import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.IncomingGrainCallContext;
import org.orleans4j.calls.IncomingGrainCallFilter;

/**
 * Counts each call an activation of this silo handles in {@link BusiestGrains}, then lets it through.
 * It is a silo-wide incoming call filter because that is where the silo shows a call's grain id: the
 * {@link org.orleans4j.catalog.GrainCallObserver} sees only grain types and methods, and activations
 * keep no call counts. Being a filter, it costs each call the filter machinery's own objects (the
 * filtered call and its continuation), hence {@code orleans.dashboard.busiest-grains.enabled}.
 */
final class BusiestGrainsFilter implements IncomingGrainCallFilter {

    private final BusiestGrains busiest;

    BusiestGrainsFilter(BusiestGrains busiest) {
        this.busiest = busiest;
    }

    @Override
    public CompletionStage<@Nullable Object> onIncomingCall(IncomingGrainCallContext call) {
        busiest.record(call.grainId());
        return call.proceed();
    }

    @Override
    public String toString() {
        return "dashboard busiest grains";
    }
}
