package org.orleans4j.spring.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when the application is a cluster client ({@code orleans.client.enabled=true}); with
 * {@code false}, when it hosts a silo (the default). The silo, its grain storage, membership table,
 * Kubernetes hosting, endpoint and meters exist only in silo mode; the cluster client only in
 * client mode.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnClientModeCondition.class)
public @interface ConditionalOnClientMode {

    /** {@code false} to match in silo mode instead. */
    boolean value() default true;
}
