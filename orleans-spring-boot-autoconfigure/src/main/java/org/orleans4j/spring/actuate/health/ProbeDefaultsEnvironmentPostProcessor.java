package org.orleans4j.spring.actuate.health;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults for the health probes of a silo, below everything the application configures: the
 * liveness and readiness groups exist outside Kubernetes too ({@code /actuator/health/liveness},
 * {@code /actuator/health/readiness}), and readiness includes the {@code orleans} indicator, so an
 * instance is ready only while its silo is Active. Liveness keeps Spring Boot's default (the
 * application's own state, nothing external), so a cluster problem never restarts a pod.
 */
public class ProbeDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** Name of the property source holding these defaults. */
    public static final String SOURCE = "orleansProbeDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("management.endpoint.health.probes.enabled", "true");
        // Only when the indicator exists: Spring Boot refuses a group that names a missing contributor.
        if (environment.getProperty("management.health.orleans.enabled", Boolean.class, true)
                && environment.getProperty("management.health.defaults.enabled", Boolean.class, true)) {
            defaults.put("management.endpoint.health.group.readiness.include", "readinessState,orleans");
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
    }

    @Override
    public int getOrder() {
        // After config data, so that addLast really lands below application.yml.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
