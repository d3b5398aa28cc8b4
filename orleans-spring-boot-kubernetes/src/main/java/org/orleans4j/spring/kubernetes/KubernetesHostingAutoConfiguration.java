package org.orleans4j.spring.kubernetes;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.autoconfigure.ConditionalOnClientMode;
import org.orleans4j.spring.autoconfigure.OrleansProperties;
import org.orleans4j.spring.membership.ClusteringProperties;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.orleans4j.spring.silo.SiloBuilderCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Kubernetes hosting: the silo is named after its pod and advertises the pod's address, and a
 * cluster agent keeps membership in line with the pods. On when Spring Boot detects Kubernetes or
 * {@code orleans.kubernetes.enabled=true}; the agent needs the official Kubernetes client (the
 * {@link ApiClient} that spring-cloud-kubernetes-client configures, else one of its own) and a
 * clustered silo.
 */
@AutoConfiguration(
        after = OrleansAutoConfiguration.class,
        afterName = "org.springframework.cloud.kubernetes.client.KubernetesClientAutoConfiguration")
@ConditionalOnClientMode(false)
@EnableConfigurationProperties({KubernetesHostingProperties.class, OrleansProperties.class, ClusteringProperties.class})
public class KubernetesHostingAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KubernetesHostingAutoConfiguration.class);

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnKubernetesHosting
    static class PodConfiguration {

        @Bean
        @ConditionalOnMissingBean
        PodEnvironment orleansPodEnvironment(KubernetesHostingProperties properties) {
            return PodEnvironment.resolve(properties, PodEnvironment.SERVICE_ACCOUNT_NAMESPACE);
        }

        @Bean
        SiloBuilderCustomizer orleansPodSiloCustomizer(PodEnvironment pod, OrleansProperties properties) {
            return new PodSiloCustomizer(pod, properties);
        }

        @Bean
        SmartInitializingSingleton orleansKubernetesHostingLog(
                Environment environment, PodEnvironment pod, ClusteringProperties clustering) {
            return () -> {
                boolean clustered = clustering.enabled();
                log.info(
                        "{}; silo {} in namespace {}{}",
                        OnKubernetesHostingCondition.describe(environment),
                        pod.podName(),
                        pod.namespace(),
                        clustered
                                ? ""
                                : ". orleans.clustering.enabled is false, so the silo runs alone and the Kubernetes "
                                        + "cluster agent is off");
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnKubernetesHosting
    @ConditionalOnClass(ApiClient.class)
    @ConditionalOnBooleanProperty("orleans.clustering.enabled")
    @ConditionalOnBean(Silo.class)
    static class AgentConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ApiClient orleansKubernetesApiClient() {
            try {
                // In a pod: the service account token and the API server from KUBERNETES_SERVICE_HOST.
                return ClientBuilder.standard().build();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot configure a Kubernetes API client (no in-cluster service "
                                + "account and no kubeconfig); define an ApiClient bean or add spring-cloud-kubernetes-client",
                        e);
            }
        }

        @Bean
        KubernetesAgentStatus orleansKubernetesAgentStatus() {
            return new KubernetesAgentStatus(Clock.systemUTC());
        }

        /**
         * Subscribed to the silo's lifecycle, so it must exist before the silo starts: never lazy (a
         * lazy agent would not be created at all, since no bean refers to it).
         */
        @Bean
        @Lazy(false)
        KubernetesClusterAgent orleansKubernetesClusterAgent(
                ApiClient client,
                Silo silo,
                PodEnvironment pod,
                KubernetesHostingProperties properties,
                KubernetesAgentStatus status) {
            PodsApi pods = new PodsApi(
                    client,
                    pod.namespace(),
                    silo.clusterOptions().serviceId(),
                    silo.clusterOptions().clusterId(),
                    properties.watchTimeout());
            KubernetesClusterAgent agent =
                    new KubernetesClusterAgent(pods, silo.membership(), pod.podName(), properties, status);
            agent.subscribeTo(silo.lifecycle());
            if (!properties.podDeletionCostPeriod().isZero()) {
                new PodDeletionCost(
                                pods,
                                pod.podName(),
                                () -> silo.diagnostics().activationCount(),
                                properties.podDeletionCostPeriod())
                        .subscribeTo(silo.lifecycle());
            }
            return agent;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnKubernetesHosting(false)
    static class OffConfiguration {

        @Bean
        SmartInitializingSingleton orleansKubernetesHostingOffLog(Environment environment) {
            return () -> log.info(
                    "{}; the Kubernetes cluster agent is off", OnKubernetesHostingCondition.describe(environment));
        }
    }
}
