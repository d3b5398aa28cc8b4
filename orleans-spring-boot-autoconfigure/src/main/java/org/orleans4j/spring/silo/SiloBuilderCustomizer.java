package org.orleans4j.spring.silo;

import org.orleans4j.runtime.SiloBuilder;

/**
 * Adjusts the silo before it is built, after the starter has applied {@code orleans.*}. Beans of
 * this type run in {@link org.springframework.core.annotation.Order} order; Kubernetes hosting uses
 * one to take the silo's name and address from its pod.
 */
@FunctionalInterface
public interface SiloBuilderCustomizer {

    void customize(SiloBuilder builder);
}
