package org.orleans4j.spring.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.jdbc.JdbcGrainStorageAutoConfiguration;
import org.orleans4j.spring.kubernetes.testing.KubernetesTestApi;
import org.orleans4j.spring.membership.JdbcClusteringAutoConfiguration;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.orleans4j.spring.silo.app.GrainTestApplication;
import org.orleans4j.spring.silo.app.PinnedDirector;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** When Kubernetes hosting and its agent are configured, and what a pod without its variables gets. */
class KubernetesHostingAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    JdbcGrainStorageAutoConfiguration.class,
                    JdbcClusteringAutoConfiguration.class,
                    OrleansAutoConfiguration.class,
                    KubernetesHostingAutoConfiguration.class,
                    KubernetesAgentHealthAutoConfiguration.class))
            .withUserConfiguration(GrainTestApplication.class, Beans.class)
            .withPropertyValues(
                    "spring.datasource.url=jdbc:h2:mem:k8s-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "orleans.cluster.cluster-id=k8s-config",
                    "orleans.endpoints.silo-port=0",
                    "orleans.endpoints.gateway-port=0");

    private final ApplicationContextRunner inPod = runner.withPropertyValues(
            "spring.main.cloud-platform=kubernetes",
            "orleans.kubernetes.pod-name=dictionary-5c7f9-x2x4q",
            "orleans.kubernetes.namespace=prod",
            "orleans.kubernetes.pod-ip=127.0.0.1");

    /** The test application's custom strategy needs its director. */
    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        PinnedDirector pinnedDirector() {
            return new PinnedDirector();
        }
    }

    /** A client aimed at a port nothing listens on: the agent retries in the background. */
    @Configuration(proxyBeanMethods = false)
    static class UnreachableApi {
        @Bean
        ApiClient apiClient() {
            return new ApiClient().setBasePath("http://127.0.0.1:9");
        }
    }

    @Test
    void outsideKubernetesHostingIsOff() {
        runner.run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(PodEnvironment.class)
                    .doesNotHaveBean(KubernetesClusterAgent.class);
            assertThat(context.getBean(Silo.class).siloOptions().siloName()).isNotEqualTo("dictionary-5c7f9-x2x4q");
        });
    }

    @Test
    void detectedKubernetesNamesTheSiloAfterItsPodAndAdvertisesThePodIp() {
        inPod.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(PodEnvironment.class);
            Silo silo = context.getBean(Silo.class);
            assertThat(silo.siloOptions().siloName()).isEqualTo("dictionary-5c7f9-x2x4q");
            assertThat(silo.address().host()).isEqualTo("127.0.0.1");
            // Clustering is off: a silo on its own has no membership for an agent to keep.
            assertThat(context).doesNotHaveBean(KubernetesClusterAgent.class);
        });
    }

    @Test
    void thePropertyTurnsHostingOffEvenInKubernetes() {
        inPod.withPropertyValues("orleans.kubernetes.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(PodEnvironment.class));
    }

    @Test
    void missingPodNameFailsStartupNamingTheVariable() {
        runner.withPropertyValues("orleans.kubernetes.enabled=true", "orleans.kubernetes.namespace=prod")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("POD_NAME is not set")
                        .hasMessageContaining("metadata.name"));
    }

    @Test
    void missingNamespaceFailsStartupNamingTheVariable() {
        // No service account file on a test machine, and no POD_NAMESPACE.
        runner.withPropertyValues("orleans.kubernetes.enabled=true", "orleans.kubernetes.pod-name=p1")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("POD_NAMESPACE is not set")
                        .hasMessageContaining("metadata.namespace"));
    }

    @Test
    void badMaxAgentsFailsStartupNamingTheProperty() {
        inPod.withPropertyValues("orleans.kubernetes.max-agents=0")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("orleans.kubernetes.max-agents must be at least 1"));
    }

    @Test
    void aClusteredSiloInKubernetesGetsTheAgentAndItsHealth() {
        inPod.withPropertyValues("orleans.clustering.enabled=true", "orleans.endpoints.listen-address=127.0.0.1")
                .withUserConfiguration(UnreachableApi.class)
                .run(context -> {
                    assertThat(context)
                            .hasNotFailed()
                            .hasSingleBean(KubernetesClusterAgent.class)
                            .hasSingleBean(KubernetesAgentHealthIndicator.class);
                    assertThat(context.getBean(KubernetesClusterAgent.class).isRunning())
                            .isTrue();
                });
    }

    @Test
    void theAgentOfAnApplicationLabelsItsPodAndItsHealthFollowsTheApi() {
        try (KubernetesTestApi api = KubernetesTestApi.start()) {
            api.createPod("prod", "dictionary-5c7f9-x2x4q", java.util.Map.of("app", "dictionary"), "127.0.0.1");
            api.forbid("list");
            inPod.withPropertyValues(
                            "orleans.clustering.enabled=true",
                            "orleans.endpoints.listen-address=127.0.0.1",
                            "orleans.kubernetes.initial-backoff=100ms",
                            "orleans.kubernetes.max-backoff=500ms")
                    .withBean("apiClient", ApiClient.class, api::apiClient)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        KubernetesAgentHealthIndicator health = context.getBean(KubernetesAgentHealthIndicator.class);
                        await().atMost(Duration.ofSeconds(10))
                                .until(() -> api.labels("prod", "dictionary-5c7f9-x2x4q")
                                                .containsKey("orleans/clusterId")
                                        && health.health().getStatus().equals(Status.DOWN));
                        assertThat(api.labels("prod", "dictionary-5c7f9-x2x4q"))
                                .containsEntry("orleans/serviceId", "default")
                                .containsEntry("orleans/clusterId", "k8s-config");
                        assertThat(health.health().getDetails())
                                .containsEntry("missingPermission", "pods/list")
                                .containsEntry("pod", "dictionary-5c7f9-x2x4q")
                                .containsEntry("namespace", "prod");

                        api.allowAll();
                        await().atMost(Duration.ofSeconds(10))
                                .until(() -> health.health().getStatus().equals(Status.UP)
                                        && Boolean.TRUE.equals(
                                                health.health().getDetails().get("watching")));
                    });
        }
    }

    @Test
    void withLabelPodOffTheAgentOfAnApplicationOnlyReadsItsPodWhichTheTemplateLabelled() {
        try (KubernetesTestApi api = KubernetesTestApi.start()) {
            java.util.Map<String, String> templateLabels =
                    java.util.Map.of("orleans/serviceId", "default", "orleans/clusterId", "k8s-config");
            api.createPod("prod", "dictionary-5c7f9-x2x4q", templateLabels, "127.0.0.1");
            api.forbid("patch");
            inPod.withPropertyValues(
                            "orleans.clustering.enabled=true",
                            "orleans.endpoints.listen-address=127.0.0.1",
                            "orleans.kubernetes.label-pod=false",
                            // The deletion cost patches an annotation; this test is about the labels.
                            "orleans.kubernetes.pod-deletion-cost-period=0",
                            "orleans.kubernetes.initial-backoff=100ms",
                            "orleans.kubernetes.max-backoff=500ms")
                    .withBean("apiClient", ApiClient.class, api::apiClient)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(KubernetesHostingProperties.class)
                                        .labelPod())
                                .isFalse();
                        KubernetesAgentHealthIndicator health = context.getBean(KubernetesAgentHealthIndicator.class);
                        await().atMost(Duration.ofSeconds(10))
                                .until(() -> health.health().getStatus().equals(Status.UP)
                                        && Boolean.TRUE.equals(
                                                health.health().getDetails().get("watching")));
                        assertThat(api.requestCount("patch")).isZero();
                        assertThat(api.labels("prod", "dictionary-5c7f9-x2x4q")).isEqualTo(templateLabels);
                    });
        }
    }

    @Test
    void aClusteredSiloInAPodSetsItsPodsDeletionCostByDefault() {
        try (KubernetesTestApi api = KubernetesTestApi.start()) {
            java.util.Map<String, String> templateLabels =
                    java.util.Map.of("orleans/serviceId", "default", "orleans/clusterId", "k8s-config");
            api.createPod("prod", "dictionary-5c7f9-x2x4q", templateLabels, "127.0.0.1");
            inPod.withPropertyValues(
                            "orleans.clustering.enabled=true",
                            "orleans.endpoints.listen-address=127.0.0.1",
                            "orleans.kubernetes.label-pod=false")
                    .withBean("apiClient", ApiClient.class, api::apiClient)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(KubernetesHostingProperties.class)
                                        .podDeletionCostPeriod())
                                .isEqualTo(Duration.ofMinutes(1));
                        await().atMost(Duration.ofSeconds(10))
                                .until(() -> api.pod("prod", "dictionary-5c7f9-x2x4q")
                                                .getMetadata()
                                                .getAnnotations()
                                        != null);
                        assertThat(api.pod("prod", "dictionary-5c7f9-x2x4q")
                                        .getMetadata()
                                        .getAnnotations())
                                .containsEntry(PodDeletionCost.ANNOTATION, "0");
                    });
        }
    }

    @Test
    void labelPodIsOnByDefaultAndABadValueFailsStartupNamingTheProperty() {
        inPod.run(context -> assertThat(
                        context.getBean(KubernetesHostingProperties.class).labelPod())
                .isTrue());
        inPod.withPropertyValues("orleans.kubernetes.label-pod=sometimes")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("orleans.kubernetes.label-pod"));
    }

    @Test
    void aClusterIdThatCannotBeALabelValueFailsStartupNamingTheProperty() {
        inPod.withPropertyValues("orleans.clustering.enabled=true", "orleans.cluster.cluster-id=blue/green")
                .withUserConfiguration(UnreachableApi.class)
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining(
                                "orleans.cluster.cluster-id 'blue/green' cannot be a Kubernetes label value"));
    }

    @Test
    void agentHealthCanBeDisabled() {
        inPod.withPropertyValues(
                        "orleans.clustering.enabled=true", "management.health.orleans-kubernetes.enabled=false")
                .withUserConfiguration(UnreachableApi.class)
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(KubernetesClusterAgent.class)
                        .doesNotHaveBean(KubernetesAgentHealthIndicator.class));
    }

    @Test
    void withoutSpringBootHealthTheAgentRunsWithoutAHealthIndicator() {
        inPod.withPropertyValues("orleans.clustering.enabled=true")
                .withUserConfiguration(UnreachableApi.class)
                .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(KubernetesClusterAgent.class)
                        .doesNotHaveBean(KubernetesAgentHealthIndicator.class));
    }

    @Test
    void withoutTheKubernetesClientThereIsNoAgent() {
        inPod.withPropertyValues("orleans.clustering.enabled=true")
                .withClassLoader(new FilteredClassLoader(ApiClient.class))
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(PodEnvironment.class)
                        .doesNotHaveBean(KubernetesClusterAgent.class));
    }
}
