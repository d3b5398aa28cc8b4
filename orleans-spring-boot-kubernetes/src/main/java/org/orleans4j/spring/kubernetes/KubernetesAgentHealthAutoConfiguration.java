package org.orleans4j.spring.kubernetes;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code orleansKubernetes} health indicator of the cluster agent, when Spring Boot health is present. */
@AutoConfiguration(after = KubernetesHostingAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(KubernetesAgentStatus.class)
@ConditionalOnEnabledHealthIndicator("orleans-kubernetes")
public class KubernetesAgentHealthAutoConfiguration {

    @Bean
    KubernetesAgentHealthIndicator orleansKubernetesHealthIndicator(KubernetesAgentStatus status, PodEnvironment pod) {
        return new KubernetesAgentHealthIndicator(status, pod);
    }
}
