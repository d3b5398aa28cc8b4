package org.orleans4j.spring.actuate.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Micrometer meters of the silo ({@code orleans.metrics.*}). Individual meters can also be turned
 * off with Spring Boot's {@code management.metrics.enable.<meter name prefix>=false}.
 *
 * @param enabled Whether the silo's meters are registered and grain calls are timed; {@code false}
 *        leaves the silo without any metrics code on its call path
 * @param grainCalls The {@code orleans.grain.calls} timer
 */
@ConfigurationProperties("orleans.metrics")
public record OrleansMetricsProperties(
        @DefaultValue("true") boolean enabled, @DefaultValue GrainCalls grainCalls) {

    /**
     * The {@code orleans.grain.calls} timer.
     *
     * @param histogram Whether the timer publishes percentile histogram buckets (for Prometheus'
     *        {@code histogram_quantile}); off by default, as each bucket is one more time series per
     *        grain type, method and outcome
     */
    public record GrainCalls(@DefaultValue("false") boolean histogram) {}
}
