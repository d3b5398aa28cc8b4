package org.orleans4j.spring.actuate.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * instance is ready only while its silo is Active, and in silo mode the {@code orleansStorage}
 * indicator, so it is ready only while its grain storage's database answers. Liveness keeps Spring
 * Boot's default (the application's own state, nothing external), so a cluster or database problem
 * never restarts a pod.
 */
public class ProbeDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** Name of the property source holding these defaults. */
    public static final String SOURCE = "orleansProbeDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("management.endpoint.health.probes.enabled", "true");
        // Only the indicators that exist: Spring Boot refuses a group that names a missing contributor.
        List<String> members = new ArrayList<>();
        if (enabled(environment, "orleans")) {
            members.add("orleans");
        }
        // A silo's only: a cluster client stores no grain state.
        if (enabled(environment, "orleans-storage")
                && !environment.getProperty("orleans.client.enabled", Boolean.class, false)) {
            members.add("orleansStorage");
        }
        if (!members.isEmpty() && environment.getProperty("management.health.defaults.enabled", Boolean.class, true)) {
            defaults.put(
                    "management.endpoint.health.group.readiness.include",
                    "readinessState," + String.join(",", members));
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
    }

    private static boolean enabled(ConfigurableEnvironment environment, String indicator) {
        return environment.getProperty("management.health." + indicator + ".enabled", Boolean.class, true);
    }

    @Override
    public int getOrder() {
        // After config data, so that addLast really lands below application.yml.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
