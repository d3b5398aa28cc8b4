package org.orleans4j.spring.kubernetes;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when Kubernetes hosting is on: {@code orleans.kubernetes.enabled=true}, or that property
 * unset and Spring Boot detecting Kubernetes as the cloud platform.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnKubernetesHostingCondition.class)
public @interface ConditionalOnKubernetesHosting {

    /** {@code false} to match when hosting is off instead. */
    boolean value() default true;
}
