package org.orleans4j.spring.kubernetes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Maps the pod environment that the Helm chart sets from the downward API onto {@code orleans.*}
 * properties, with Orleans' precedence: {@code ORLEANS_SERVICE_ID}, {@code ORLEANS_CLUSTER_ID} and
 * {@code POD_NAME} (as the silo name) win over application.yml; {@code POD_IP}, {@code POD_NAMESPACE}
 * and {@code POD_NAME} (as {@code orleans.kubernetes.*}) only fill in what is not configured.
 */
public class PodEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** Property source holding the variables that override configuration. */
    public static final String OVERRIDES = "orleansPodEnvironment";
    /** Property source holding the variables that only supply defaults. */
    public static final String DEFAULTS = "orleansPodEnvironmentDefaults";

    private static final Map<String, List<String>> OVERRIDING = Map.of(
            "ORLEANS_SERVICE_ID", List.of("orleans.cluster.service-id"),
            "ORLEANS_CLUSTER_ID", List.of("orleans.cluster.cluster-id"),
            "POD_NAME", List.of("orleans.silo.name"));
    private static final Map<String, List<String>> DEFAULTING = Map.of(
            "POD_IP", List.of("orleans.endpoints.advertised-address", "orleans.kubernetes.pod-ip"),
            "POD_NAMESPACE", List.of("orleans.kubernetes.namespace"),
            "POD_NAME", List.of("orleans.kubernetes.pod-name"));

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        PropertySource<?> env =
                environment.getPropertySources().get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        if (env == null) {
            return;
        }
        Map<String, Object> overrides = collect(env, OVERRIDING);
        if (!overrides.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource(OVERRIDES, overrides));
        }
        Map<String, Object> defaults = collect(env, DEFAULTING);
        if (!defaults.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(DEFAULTS, defaults));
        }
    }

    private static Map<String, Object> collect(PropertySource<?> env, Map<String, List<String>> mapping) {
        Map<String, Object> result = new LinkedHashMap<>();
        mapping.forEach((variable, properties) -> {
            Object value = env.getProperty(variable);
            if (value != null && !value.toString().isBlank()) {
                properties.forEach(
                        property -> result.put(property, value.toString().trim()));
            }
        });
        return result;
    }

    @Override
    public int getOrder() {
        // After config data (application.yml) is loaded, so addLast really lands below it.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
