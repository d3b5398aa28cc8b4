package org.orleans4j.spring.actuate.dashboard;

import org.orleans4j.spring.silo.SiloBuilderCustomizer;

/**
 * What the silo counts for the dashboard: its grain calls (a call observer), the busiest grains when
 * they are on (an incoming call filter), and the ticker that moves both through time.
 */
final class DashboardCounters implements AutoCloseable {

    private final GrainCallStatistics calls;
    private final BusiestGrains busiest;
    private final DashboardTicker ticker;

    DashboardCounters(boolean countBusiestGrains) {
        this.calls = GrainCallStatistics.startingNow();
        this.busiest = countBusiestGrains ? new BusiestGrains(calls.stripes()) : null;
        this.ticker = new DashboardTicker(calls, busiest);
    }

    GrainCallStatistics calls() {
        return calls;
    }

    /** {@code null} when busiest grains are not counted. */
    BusiestGrains busiest() {
        return busiest;
    }

    /** Installs the observer, and the filter when busiest grains are counted. */
    SiloBuilderCustomizer customizer() {
        return builder -> {
            builder.grainCallObserver(calls);
            if (busiest != null) {
                builder.addIncomingCallFilter(new BusiestGrainsFilter(busiest));
            }
        };
    }

    @Override
    public void close() {
        ticker.close();
    }
}
