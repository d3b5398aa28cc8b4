package org.orleans4j.spring.kubernetes;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Evaluates {@link ConditionalOnKubernetesHosting}: the property wins over platform detection. */
class OnKubernetesHostingCondition extends SpringBootCondition {

    static final String ENABLED = "orleans.kubernetes.enabled";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes =
                metadata.getAnnotationAttributes(ConditionalOnKubernetesHosting.class.getName());
        boolean wanted = attributes == null || (Boolean) attributes.get("value");
        String why = describe(context.getEnvironment());
        boolean on = isOn(context.getEnvironment());
        return on == wanted ? ConditionOutcome.match(why) : ConditionOutcome.noMatch(why);
    }

    static boolean isOn(Environment environment) {
        Boolean enabled = environment.getProperty(ENABLED, Boolean.class);
        return enabled != null ? enabled : CloudPlatform.KUBERNETES.isActive(environment);
    }

    static String describe(Environment environment) {
        Boolean enabled = environment.getProperty(ENABLED, Boolean.class);
        if (enabled != null) {
            return "Kubernetes hosting is " + (enabled ? "on" : "off") + " by " + ENABLED + "=" + enabled;
        }
        return CloudPlatform.KUBERNETES.isActive(environment)
                ? "Kubernetes hosting is on: Spring Boot detected Kubernetes"
                : "Kubernetes hosting is off: no Kubernetes detected (KUBERNETES_SERVICE_HOST unset) and " + ENABLED
                        + " not set";
    }
}
