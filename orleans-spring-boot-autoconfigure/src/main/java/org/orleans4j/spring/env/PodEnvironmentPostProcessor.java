package org.orleans4j.spring.env;

import java.util.LinkedHashMap;
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
 * {@code POD_NAME} win over application.yml; {@code POD_IP} and {@code POD_NAMESPACE} only fill in
 * what is not configured.
 */
public class PodEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** Property source holding the variables that override configuration. */
    public static final String OVERRIDES = "orleansPodEnvironment";
    /** Property source holding the variables that only supply defaults. */
    public static final String DEFAULTS = "orleansPodEnvironmentDefaults";

    private static final Map<String, String> OVERRIDING = Map.of(
            "ORLEANS_SERVICE_ID", "orleans.cluster.service-id",
            "ORLEANS_CLUSTER_ID", "orleans.cluster.cluster-id",
            "POD_NAME", "orleans.silo.name");
    private static final Map<String, String> DEFAULTING = Map.of(
            "POD_IP", "orleans.endpoints.advertised-address",
            "POD_NAMESPACE", "orleans.kubernetes.namespace");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        PropertySource<?> env = environment.getPropertySources()
                .get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
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

    private static Map<String, Object> collect(PropertySource<?> env, Map<String, String> mapping) {
        Map<String, Object> result = new LinkedHashMap<>();
        mapping.forEach((variable, property) -> {
            Object value = env.getProperty(variable);
            if (value != null && !value.toString().isBlank()) {
                result.put(property, value.toString().trim());
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
