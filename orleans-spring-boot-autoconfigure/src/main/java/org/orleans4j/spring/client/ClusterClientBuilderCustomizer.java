package org.orleans4j.spring.client;

import org.orleans4j.client.ClusterClientBuilder;

/**
 * Adjusts the cluster client before it is built, after the starter has applied
 * {@code orleans.client.*}, {@code orleans.messaging.*} and {@code orleans.serialization.*}. Beans
 * of this type run in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface ClusterClientBuilderCustomizer {

    void customize(ClusterClientBuilder builder);
}
