package org.orleans4j.spring.actuate.dashboard;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The dashboard page ({@code orleans.dashboard.*}): the {@code orleansdashboard} Actuator endpoint,
 * which must also be exposed like any other ({@code management.endpoints.web.exposure.include}).
 *
 * @param enabled Whether the silo serves the dashboard at {@code /actuator/orleansdashboard} and counts
 *        the grain calls it shows (a few atomic increments per call, about 110 KiB per grain type); off by
 *        default. The endpoint must also be exposed over the web
 * @param refreshInterval How often the page asks the silo for new figures
 * @param busiestGrains The busiest grains, which need the grain id of each call
 */
@ConfigurationProperties("orleans.dashboard")
public record OrleansDashboardProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("2s") Duration refreshInterval,
        @DefaultValue BusiestGrains busiestGrains) {

    public OrleansDashboardProperties {
        if (refreshInterval.compareTo(Duration.ofMillis(250)) < 0) {
            throw new IllegalArgumentException(
                    "orleans.dashboard.refresh-interval must be at least 250ms, was " + refreshInterval);
        }
    }

    /**
     * The busiest grains (the grains of this silo that handled the most calls in about the last minute).
     *
     * @param enabled Whether the silo counts calls per grain id for the dashboard's busiest grains, with an
     *        incoming call filter on every call its activations handle (the filter's own objects per call,
     *        memory bounded to 256 counters per stripe); off by default
     * @param limit How many of the busiest grains the dashboard lists
     */
    public record BusiestGrains(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("20") int limit) {

        public BusiestGrains {
            if (limit < 1 || limit > 200) {
                throw new IllegalArgumentException(
                        "orleans.dashboard.busiest-grains.limit must be between 1 and 200, was " + limit);
            }
        }
    }
}
