package org.orleans4j.spring.autoconfigure;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Evaluates {@link ConditionalOnClientMode} from {@code orleans.client.enabled}. */
class OnClientModeCondition extends SpringBootCondition {

    static final String ENABLED = "orleans.client.enabled";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnClientMode.class.getName());
        boolean wanted = attributes == null || (Boolean) attributes.get("value");
        boolean client = isClientMode(context.getEnvironment());
        String why = client
                ? "client mode (" + ENABLED + "=true): a cluster client, no silo"
                : "silo mode (" + ENABLED + " is not true)";
        return client == wanted ? ConditionOutcome.match(why) : ConditionOutcome.noMatch(why);
    }

    static boolean isClientMode(Environment environment) {
        return environment.getProperty(ENABLED, Boolean.class, false);
    }
}
