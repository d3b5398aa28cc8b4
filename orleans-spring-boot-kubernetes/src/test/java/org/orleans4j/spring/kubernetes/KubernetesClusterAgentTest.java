package org.orleans4j.spring.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.membership.MembershipEntry;
import org.orleans4j.membership.MembershipOptions;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.kubernetes.testing.KubernetesTestApi;
import org.orleans4j.testing.TestCluster;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The cluster agent against a Kubernetes API over real HTTP, with in-JVM silos sharing a membership
 * table. Probing is slowed down so that only the agent declares silos Dead here. One test per
 * behaviour and per defect of Orleans' agent that ours avoids.
 */
@ExtendWith(OutputCaptureExtension.class)
class KubernetesClusterAgentTest {

    private static final String NAMESPACE = "prod";
    /** Probes every 30 s: nothing but the agent declares a silo Dead within a test. */
    private static final MembershipOptions SLOW_PROBING = new MembershipOptions(
            Duration.ofSeconds(30),
            3,
            10,
            2,
            Duration.ofMinutes(2),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofDays(7));

    private final ClusterOptions ids =
            new ClusterOptions("dictionary", "c-" + UUID.randomUUID().toString().substring(0, 8));
    private final Map<String, String> labels =
            Map.of(PodsApi.SERVICE_ID_LABEL, ids.serviceId(), PodsApi.CLUSTER_ID_LABEL, ids.clusterId());
    private final KubernetesTestApi api = KubernetesTestApi.start();
    private final List<KubernetesClusterAgent> agents = new ArrayList<>();
    private TestCluster cluster;

    public interface EchoGrain extends GrainWithStringKey {
        CompletableFuture<String> echo(String text);
    }

    public static class EchoGrainImpl extends GrainBase implements EchoGrain {
        @Override
        public CompletableFuture<String> echo(String text) {
            return CompletableFuture.completedFuture(text);
        }
    }

    @AfterEach
    void stop() {
        agents.forEach(KubernetesClusterAgent::close);
        if (cluster != null) {
            cluster.close();
        }
        api.close();
    }

    private TestCluster startCluster(int silos) {
        cluster = TestCluster.builder()
                .silos(silos)
                .clusterOptions(ids)
                .membershipOptions(SLOW_PROBING)
                .configure(b -> b.addGrainClass(EchoGrainImpl.class))
                .start();
        return cluster;
    }

    private static KubernetesHostingProperties options(int maxAgents, boolean deleteDefunctPods) {
        return options(maxAgents, deleteDefunctPods, true);
    }

    private static KubernetesHostingProperties options(int maxAgents, boolean deleteDefunctPods, boolean labelPod) {
        return new KubernetesHostingProperties(
                true,
                NAMESPACE,
                null,
                null,
                maxAgents,
                deleteDefunctPods,
                labelPod,
                Duration.ofMillis(200),
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                Duration.ofMinutes(1));
    }

    private KubernetesClusterAgent startAgent(Silo silo, KubernetesHostingProperties options) {
        PodsApi pods =
                new PodsApi(api.apiClient(), NAMESPACE, ids.serviceId(), ids.clusterId(), options.watchTimeout());
        KubernetesClusterAgent agent = new KubernetesClusterAgent(
                pods,
                silo.membership(),
                silo.siloOptions().siloName(),
                options,
                new KubernetesAgentStatus(Clock.systemUTC()));
        agents.add(agent);
        agent.start();
        return agent;
    }

    /** A pod for every silo of the cluster, labelled as the Helm chart does. */
    private void podsForSilos() {
        for (Silo silo : cluster.silos()) {
            api.createPod(
                    NAMESPACE,
                    silo.siloOptions().siloName(),
                    labels,
                    silo.address().host());
        }
    }

    /** A row of a silo that exists only in the table (no process), as a crashed or leaving one leaves. */
    private SiloAddress row(String name, long generation, SiloStatus status) {
        MembershipTable table = cluster.membershipTable();
        SiloAddress silo = new SiloAddress("10.1.0." + (Math.floorMod(name.hashCode(), 200) + 1), 11111, generation);
        Instant now = Instant.now();
        assertThat(table.insertRow(
                                new MembershipEntry(silo, status, name, "node-1", 0, null, now, now, List.of()),
                                table.readAll().join().version().next())
                        .join())
                .isTrue();
        return silo;
    }

    private SiloStatus statusInTable(SiloAddress silo) {
        return cluster.membershipTable()
                .readAll()
                .join()
                .row(silo)
                .map(r -> r.entry().status())
                .orElse(SiloStatus.NONE);
    }

    private void awaitAligned(KubernetesClusterAgent agent) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> agent.status().reading().aligned());
    }

    @Test
    void startupLabelsItsOwnPodAndDeclaresDeadAnActiveSiloWithNoPod() {
        Silo silo = startCluster(1).silo(0);
        api.createPod(NAMESPACE, silo.siloOptions().siloName(), Map.of("app", "dictionary"), "127.0.0.1");
        SiloAddress crashed = row("dictionary-crashed", 1, SiloStatus.ACTIVE);

        startAgent(silo, options(2, false));

        await().atMost(Duration.ofSeconds(10)).until(() -> statusInTable(crashed) == SiloStatus.DEAD);
        assertThat(api.labels(NAMESPACE, silo.siloOptions().siloName()))
                .containsAllEntriesOf(labels)
                .containsEntry("app", "dictionary");
        assertThat(statusInTable(silo.address())).isEqualTo(SiloStatus.ACTIVE);
    }

    /** orleans#8464: during a rolling update the old silo still drains while its pod is Terminating. */
    /** The Helm chart's pod template sets the labels and its Role has no patch on pods. */
    @Test
    void withLabelPodOffTheAgentChecksTheTemplatesLabelsAndNeverPatches() {
        Silo silo = startCluster(1).silo(0);
        podsForSilos();
        SiloAddress crashed = row("dictionary-crashed", 1, SiloStatus.ACTIVE);
        api.forbid("patch");

        KubernetesClusterAgent agent = startAgent(silo, options(1, false, false));

        awaitAligned(agent);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> statusInTable(crashed) == SiloStatus.DEAD
                        && agent.status().reading().watching());
        assertThat(agent.status().reading().healthy()).isTrue();
        assertThat(api.requestCount("patch")).isZero();
        assertThat(api.requestCount("get")).isPositive();
        assertThat(api.labels(NAMESPACE, silo.siloOptions().siloName())).isEqualTo(labels);
    }

    @Test
    void withLabelPodOffAPodWithoutTheLabelsStopsTheAgentSayingWhatToDoUntilThePodIsLabelled(CapturedOutput output) {
        Silo silo = startCluster(1).silo(0);
        String podName = silo.siloOptions().siloName();
        api.createPod(
                NAMESPACE,
                podName,
                Map.of("app", "dictionary", PodsApi.CLUSTER_ID_LABEL, "another-cluster"),
                silo.address().host());
        SiloAddress crashed = row("dictionary-crashed", 1, SiloStatus.ACTIVE);
        api.forbid("patch");
        KubernetesClusterAgent agent = startAgent(silo, options(1, false, false));
        KubernetesAgentHealthIndicator health =
                new KubernetesAgentHealthIndicator(agent.status(), new PodEnvironment(NAMESPACE, podName, null));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> health.health().getStatus().equals(Status.DOWN));
        assertThat(health.health().getDetails())
                .containsEntry(
                        "missingLabels",
                        List.of(
                                PodsApi.CLUSTER_ID_LABEL + "=" + ids.clusterId(),
                                PodsApi.SERVICE_ID_LABEL + "=" + ids.serviceId()));
        String message = agent.status().reading().lastFailure().message();
        assertThat(message)
                .contains("Pod '" + podName + "' in namespace 'prod' lacks the labels")
                .contains(PodsApi.SERVICE_ID_LABEL + "=" + ids.serviceId() + " (absent)")
                .contains(PodsApi.CLUSTER_ID_LABEL + "=" + ids.clusterId() + " (the pod has 'another-cluster')")
                .contains("set them on the pod template, or enable orleans.kubernetes.label-pod and grant patch on "
                        + "pods to the silo's Role");
        assertThat(output.getOut()).contains("set them on the pod template, or enable orleans.kubernetes.label-pod");
        // Stopped at the check: no list, no watch, no silo declared Dead, and never a patch.
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(2))
                .until(() -> statusInTable(crashed) == SiloStatus.ACTIVE && api.requestCount("list") == 0);
        assertThat(agent.status().reading().aligned()).isFalse();
        assertThat(agent.status().reading().watching()).isFalse();
        assertThat(api.requestCount("patch")).isZero();
        // The silo itself serves on (a grain call could be placed on the fake Active row, so none here).
        assertThat(silo.status()).isEqualTo(SiloStatus.ACTIVE);

        api.addLabels(NAMESPACE, podName, labels);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> statusInTable(crashed) == SiloStatus.DEAD
                        && health.health().getStatus().equals(Status.UP)
                        && agent.status().reading().aligned());
        assertThat(api.requestCount("patch")).isZero();
    }

    @Test
    void withLabelPodOffAMissingOwnPodNamesTheVariablesToCheck() {
        Silo silo = startCluster(1).silo(0);

        KubernetesClusterAgent agent = startAgent(silo, options(1, false, false));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> !agent.status().reading().healthy());
        KubernetesApiFailure failure = agent.status().reading().lastFailure();
        assertThat(failure.verb()).isEqualTo("get");
        assertThat(failure.message())
                .contains("has no pod '" + silo.siloOptions().siloName() + "' in namespace 'prod'")
                .contains("POD_NAME (orleans.kubernetes.pod-name)");
        assertThat(failure.missingLabels()).hasSize(2);
        assertThat(api.requestCount("patch")).isZero();
    }

    @Test
    void startupSparesSilosThatAreShuttingDownOrWhosePodIsTerminating() {
        Silo silo = startCluster(1).silo(0);
        podsForSilos();
        SiloAddress draining = row("dictionary-draining", 1, SiloStatus.SHUTTING_DOWN);
        api.createPod(NAMESPACE, "dictionary-draining", labels, "10.1.0.7");
        api.markTerminating(NAMESPACE, "dictionary-draining");
        SiloAddress terminatingPod = row("dictionary-terminating", 1, SiloStatus.ACTIVE);
        api.createPod(NAMESPACE, "dictionary-terminating", labels, "10.1.0.8");
        api.markTerminating(NAMESPACE, "dictionary-terminating");
        SiloAddress leavingWithoutPod = row("dictionary-leaving", 1, SiloStatus.SHUTTING_DOWN);
        SiloAddress stopping = row("dictionary-stopping", 1, SiloStatus.STOPPING);
        SiloAddress crashed = row("dictionary-crashed", 1, SiloStatus.ACTIVE);

        awaitAligned(startAgent(silo, options(2, false)));

        await().atMost(Duration.ofSeconds(5)).until(() -> statusInTable(crashed) == SiloStatus.DEAD);
        assertThat(statusInTable(draining)).isEqualTo(SiloStatus.SHUTTING_DOWN);
        assertThat(statusInTable(terminatingPod)).isEqualTo(SiloStatus.ACTIVE);
        assertThat(statusInTable(leavingWithoutPod)).isEqualTo(SiloStatus.SHUTTING_DOWN);
        assertThat(statusInTable(stopping)).isEqualTo(SiloStatus.STOPPING);
    }

    @Test
    void aSiloWhosePodExistsWithoutTheLabelsIsNotDeclaredDead(CapturedOutput output) {
        Silo silo = startCluster(1).silo(0);
        podsForSilos();
        SiloAddress unlabelled = row("dictionary-unlabelled", 1, SiloStatus.ACTIVE);
        api.createPod(NAMESPACE, "dictionary-unlabelled", Map.of("app", "dictionary"), "10.1.0.9");

        awaitAligned(startAgent(silo, options(2, false)));

        assertThat(statusInTable(unlabelled)).isEqualTo(SiloStatus.ACTIVE);
        assertThat(output.getOut()).contains("runs in pod dictionary-unlabelled which lacks the labels");
    }

    @Test
    void aPodDeletionGetsItsSiloDeclaredDeadWithinTwoSeconds() {
        startCluster(3);
        podsForSilos();
        cluster.silos().forEach(silo -> startAgent(silo, options(2, false)));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.openWatchCount() == 2);
        Silo victim = cluster.silo(2);

        long deletedAt = System.nanoTime();
        api.deletePod(NAMESPACE, victim.siloOptions().siloName());

        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> statusInTable(victim.address()) == SiloStatus.DEAD);
        System.out.printf(
                "Pod deleted -> silo Dead in the table: %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deletedAt));
    }

    /** Orleans' watcher flag flipped off on every second membership update. */
    @Test
    void onlyTheOldestActiveSilosWatchAndKeepWatchingAcrossMembershipUpdates() {
        startCluster(3);
        podsForSilos();
        List<KubernetesClusterAgent> started = cluster.silos().stream()
                .map(s -> startAgent(s, options(2, false)))
                .toList();
        await().atMost(Duration.ofSeconds(10)).until(() -> api.openWatchCount() == 2);
        assertThat(started).extracting(a -> a.status().reading().watching()).containsExactly(true, true, false);

        long watchesBefore = api.requestCount("watch");
        for (int i = 0; i < 6; i++) {
            row("dictionary-old-" + i, 1, SiloStatus.DEAD);
        }
        long version = cluster.membershipTable().readAll().join().version().version();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.silos().stream()
                        .allMatch(s -> s.membership().currentSnapshot().version() >= version));

        assertThat(started).extracting(a -> a.status().reading().watching()).containsExactly(true, true, false);
        assertThat(api.openWatchCount()).isEqualTo(2);
        assertThat(api.requestCount("watch")).isEqualTo(watchesBefore);
        Silo victim = cluster.silo(2);
        api.deletePod(NAMESPACE, victim.siloOptions().siloName());
        await().atMost(Duration.ofSeconds(2)).until(() -> statusInTable(victim.address()) == SiloStatus.DEAD);
    }

    @Test
    void whenTheWatchingSiloLeavesTheNextOldestTakesOver() {
        startCluster(3);
        podsForSilos();
        List<KubernetesClusterAgent> started = cluster.silos().stream()
                .map(s -> startAgent(s, options(1, false)))
                .toList();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> started.get(0).status().reading().watching());

        started.get(0).close();
        cluster.silo(0).stop(Duration.ofSeconds(10));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> started.get(1).status().reading().watching());
        assertThat(started.get(2).status().reading().watching()).isFalse();
        Silo victim = cluster.silo(2);
        api.deletePod(NAMESPACE, victim.siloOptions().siloName());
        await().atMost(Duration.ofSeconds(2)).until(() -> statusInTable(victim.address()) == SiloStatus.DEAD);
    }

    /** Orleans restarted a closed watch without a resourceVersion and missed deletions in the gap. */
    @Test
    void aClosedWatchReListsAndResumesSoADeletionInTheGapIsNotMissed() {
        startCluster(2);
        podsForSilos();
        startAgent(cluster.silo(0), options(1, false));
        startAgent(cluster.silo(1), options(1, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.openWatchCount() == 1);
        long lists = api.requestCount("list");
        long watches = api.requestCount("watch");
        Silo victim = cluster.silo(1);

        api.closeWatches();
        api.deletePod(NAMESPACE, victim.siloOptions().siloName());

        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.openWatchCount() == 1 && api.requestCount("watch") == watches + 1);
        assertThat(api.requestCount("list")).isEqualTo(lists + 1);
        await().atMost(Duration.ofSeconds(2)).until(() -> statusInTable(victim.address()) == SiloStatus.DEAD);
    }

    @Test
    void anExpiredResourceVersionReListsAndWatchesAgain() {
        startCluster(2);
        podsForSilos();
        startAgent(cluster.silo(0), options(1, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.openWatchCount() == 1);
        long lists = api.requestCount("list");

        api.expireWatches();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.requestCount("list") == lists + 1 && api.openWatchCount() == 1);
        Silo victim = cluster.silo(1);
        api.deletePod(NAMESPACE, victim.siloOptions().siloName());
        await().atMost(Duration.ofSeconds(2)).until(() -> statusInTable(victim.address()) == SiloStatus.DEAD);
    }

    /** Orleans retried a 403 in a tight loop. */
    @Test
    void aForbiddenListBacksOffLogsTheMissingRuleShowsDownAndTheSiloServesOn(CapturedOutput output) throws Exception {
        Silo silo = startCluster(1).silo(0);
        podsForSilos();
        api.forbid("list");
        KubernetesClusterAgent agent = startAgent(silo, options(2, false));
        KubernetesAgentHealthIndicator health = new KubernetesAgentHealthIndicator(
                agent.status(), new PodEnvironment(NAMESPACE, silo.siloOptions().siloName(), null));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> health.health().getStatus().equals(Status.DOWN));
        // Backoff 200 ms doubling to 1 s: about 5 attempts in 3 s; a tight loop would make thousands.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> api.requestCount("list") <= 7);
        System.out.printf(
                "403 on list: %d list requests in about 4 s (backoff 200 ms doubling to 1 s)%n",
                api.requestCount("list"));
        assertThat(health.health().getDetails()).containsEntry("missingPermission", "pods/list");
        assertThat(output.getOut()).contains("Are you missing RBAC permission to list pods?");
        assertThat(silo.grainFactory()
                        .getGrain(EchoGrain.class, "still-serving")
                        .echo("yes")
                        .get(5, TimeUnit.SECONDS))
                .isEqualTo("yes");
        assertThat(silo.status()).isEqualTo(SiloStatus.ACTIVE);

        api.allowAll();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> health.health().getStatus().equals(Status.UP)
                        && agent.status().reading().aligned());
    }

    @Test
    void aForbiddenWatchBacksOffToo(CapturedOutput output) {
        startCluster(1);
        podsForSilos();
        api.forbid("watch");
        KubernetesClusterAgent agent = startAgent(cluster.silo(0), options(1, false));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> !agent.status().reading().healthy());
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> api.requestCount("watch") <= 7);
        System.out.printf(
                "403 on watch: %d watch requests in about 4 s (backoff 200 ms doubling to 1 s)%n",
                api.requestCount("watch"));
        assertThat(agent.status().reading().lastFailure().missingPermission()).isEqualTo("pods/watch");
        assertThat(output.getOut()).contains("Are you missing RBAC permission to watch pods?");
    }

    /** orleans#8147 / #9757: pods of another cluster of the service are out of scope. */
    @Test
    void podsOfDeadSilosAreDeletedWhenEnabledAndOnlyInThisClustersScope() {
        startCluster(1);
        podsForSilos();
        row("dictionary-dead", 1, SiloStatus.DEAD);
        api.createPod(NAMESPACE, "dictionary-dead", labels, "10.1.0.10");
        row("dictionary-other", 1, SiloStatus.DEAD);
        api.createPod(
                NAMESPACE,
                "dictionary-other",
                Map.of(PodsApi.SERVICE_ID_LABEL, ids.serviceId(), PodsApi.CLUSTER_ID_LABEL, "another-cluster"),
                "10.1.0.11");

        startAgent(cluster.silo(0), options(1, true));

        await().atMost(Duration.ofSeconds(10)).until(() -> api.pod(NAMESPACE, "dictionary-dead") == null);
        assertThat(api.pod(NAMESPACE, "dictionary-other")).isNotNull();
        assertThat(api.labels(NAMESPACE, "dictionary-other"))
                .containsEntry(PodsApi.CLUSTER_ID_LABEL, "another-cluster");
        assertThat(api.requestCount("delete")).isEqualTo(1);
    }

    @Test
    void podsOfDeadSilosAreKeptUnlessDeletionIsEnabled() {
        startCluster(1);
        podsForSilos();
        row("dictionary-dead", 1, SiloStatus.DEAD);
        api.createPod(NAMESPACE, "dictionary-dead", labels, "10.1.0.10");

        KubernetesClusterAgent agent = startAgent(cluster.silo(0), options(1, false));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> agent.status().reading().watching() && api.openWatchCount() == 1);
        assertThat(api.pod(NAMESPACE, "dictionary-dead")).isNotNull();
        assertThat(api.requestCount("delete")).isZero();
    }

    /** Orleans matched a pod to any member of its name, even an old Dead generation. */
    @Test
    void aDeletedPodKillsTheNewestGenerationOfItsName() {
        startCluster(2);
        podsForSilos();
        Silo restarted = cluster.silo(1);
        row(restarted.siloOptions().siloName(), 1, SiloStatus.DEAD);
        startAgent(cluster.silo(0), options(1, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.openWatchCount() == 1);

        api.deletePod(NAMESPACE, restarted.siloOptions().siloName());

        await().atMost(Duration.ofSeconds(2)).until(() -> statusInTable(restarted.address()) == SiloStatus.DEAD);
    }

    @Test
    void anOlderActiveGenerationInAPodThatRunsANewerSiloIsDeclaredDead() {
        Silo silo = startCluster(2).silo(1);
        podsForSilos();
        SiloAddress previous = row(silo.siloOptions().siloName(), 1, SiloStatus.ACTIVE);

        awaitAligned(startAgent(cluster.silo(0), options(1, false)));

        await().atMost(Duration.ofSeconds(5)).until(() -> statusInTable(previous) == SiloStatus.DEAD);
        assertThat(statusInTable(silo.address())).isEqualTo(SiloStatus.ACTIVE);
    }
}
