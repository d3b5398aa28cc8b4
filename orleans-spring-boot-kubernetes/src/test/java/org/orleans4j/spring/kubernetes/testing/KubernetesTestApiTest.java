package org.orleans4j.spring.kubernetes.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives {@link KubernetesTestApi} with the official Kubernetes client, the way a cluster agent
 * would: list by selector, patch labels, delete, list-then-watch (by hand and with an informer),
 * 410 Gone, watch ends, 403.
 */
class KubernetesTestApiTest {

    private static final String NAMESPACE = "orleans";
    private static final String SELECTOR = "orleans/serviceId=svc,orleans/clusterId=c1";
    private static final Map<String, String> CLUSTER_C1 = Map.of("orleans/serviceId", "svc", "orleans/clusterId", "c1");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private KubernetesTestApi api;
    private ApiClient client;
    private CoreV1Api core;
    private final List<WatchRecorder> watches = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        api = KubernetesTestApi.start();
        client = api.apiClient();
        core = new CoreV1Api(client);
    }

    @AfterEach
    void stop() {
        watches.forEach(WatchRecorder::close);
        api.close();
        client.getHttpClient().dispatcher().executorService().shutdown();
        client.getHttpClient().connectionPool().evictAll();
    }

    @Test
    void listsPodsByEqualityAndSetBasedLabelSelectors() throws ApiException {
        api.createPod(NAMESPACE, "silo-1", CLUSTER_C1, "10.0.0.1");
        api.createPod(NAMESPACE, "silo-2", CLUSTER_C1, "10.0.0.2");
        api.createPod(
                NAMESPACE, "other-cluster", Map.of("orleans/serviceId", "svc", "orleans/clusterId", "c2"), "10.0.0.3");
        api.createPod("elsewhere", "same-labels", CLUSTER_C1, "10.0.0.4");

        V1PodList pods =
                core.listNamespacedPod(NAMESPACE).labelSelector(SELECTOR).execute();

        assertThat(pods.getItems())
                .extracting(pod -> pod.getMetadata().getName())
                .containsExactlyInAnyOrder("silo-1", "silo-2");
        V1Pod silo = pods.getItems().getFirst();
        assertThat(silo.getApiVersion()).isEqualTo("v1");
        assertThat(silo.getKind()).isEqualTo("Pod");
        assertThat(silo.getMetadata().getUid()).isNotBlank();
        assertThat(silo.getMetadata().getCreationTimestamp()).isNotNull();
        assertThat(silo.getStatus().getPhase()).isEqualTo("Running");
        assertThat(silo.getStatus().getPodIP()).startsWith("10.0.0.");
        // The list's resourceVersion is the current one: the newest of the four creations.
        assertThat(pods.getMetadata().getResourceVersion())
                .isEqualTo(api.pod("elsewhere", "same-labels").getMetadata().getResourceVersion());
        assertThat(core.listNamespacedPod(NAMESPACE)
                        .labelSelector("orleans/clusterId in (c2,c3)")
                        .execute()
                        .getItems())
                .extracting(pod -> pod.getMetadata().getName())
                .containsExactly("other-cluster");
    }

    @Test
    void mergePatchSetsAndRemovesLabelsAndBumpsTheResourceVersion() throws ApiException {
        V1Pod created =
                api.createPod(NAMESPACE, "silo-1", Map.of("orleans/serviceId", "svc", "stale", "yes"), "10.0.0.1");

        V1Pod patched = PatchUtils.patch(
                V1Pod.class,
                () -> core.patchNamespacedPod(
                                "silo-1",
                                NAMESPACE,
                                new V1Patch(
                                        "{\"metadata\":{\"labels\":{\"orleans/clusterId\":\"c1\",\"stale\":null}}}"))
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
                client);

        assertThat(patched.getMetadata().getLabels()).isEqualTo(CLUSTER_C1);
        assertThat(Long.parseLong(patched.getMetadata().getResourceVersion()))
                .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));
        assertThat(core.listNamespacedPod(NAMESPACE)
                        .labelSelector(SELECTOR)
                        .execute()
                        .getItems())
                .extracting(pod -> pod.getMetadata().getName())
                .containsExactly("silo-1");
        assertThat(api.labels(NAMESPACE, "silo-1")).isEqualTo(CLUSTER_C1);
        assertThat(api.requestCount("patch")).isEqualTo(1);
    }

    @Test
    void jsonPatchAndDeleteGoThroughTheStore() throws ApiException {
        api.createPod(NAMESPACE, "silo-1", CLUSTER_C1, "10.0.0.1");

        PatchUtils.patch(
                V1Pod.class,
                () -> core.patchNamespacedPod(
                                "silo-1",
                                NAMESPACE,
                                new V1Patch("[{\"op\":\"add\",\"path\":\"/metadata/labels/orleans~1status\","
                                        + "\"value\":\"active\"}]"))
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_PATCH,
                client);
        assertThat(api.labels(NAMESPACE, "silo-1")).containsEntry("orleans/status", "active");

        core.deleteNamespacedPod("silo-1", NAMESPACE).execute();

        assertThat(api.pod(NAMESPACE, "silo-1")).isNull();
        assertThat(core.listNamespacedPod(NAMESPACE).execute().getItems()).isEmpty();
        assertThat(api.requestCount("delete")).isEqualTo(1);
    }

    @Test
    void aTerminatingPodStaysListedWhileItsLabelsArePatchedUntilItIsDeleted() throws ApiException {
        api.createPod(NAMESPACE, "silo-1", CLUSTER_C1, "10.0.0.1");
        api.markTerminating(NAMESPACE, "silo-1");

        V1Pod patched = PatchUtils.patch(
                V1Pod.class,
                () -> core.patchNamespacedPod(
                                "silo-1",
                                NAMESPACE,
                                new V1Patch("{\"metadata\":{\"labels\":{\"orleans/status\":\"stopping\"}}}"))
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
                client);

        assertThat(patched.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(core.listNamespacedPod(NAMESPACE)
                        .labelSelector("orleans/status=stopping")
                        .execute()
                        .getItems())
                .extracting(pod -> pod.getMetadata().getName())
                .containsExactly("silo-1");
        api.deletePod(NAMESPACE, "silo-1");
        assertThat(core.listNamespacedPod(NAMESPACE).execute().getItems()).isEmpty();
    }

    @Test
    void watchFromTheListsResourceVersionSeesAddedTerminatingAndDeletedInOrder() throws Exception {
        api.createPod(NAMESPACE, "silo-1", CLUSTER_C1, "10.0.0.1");
        V1PodList list =
                core.listNamespacedPod(NAMESPACE).labelSelector(SELECTOR).execute();
        long listed = Long.parseLong(list.getMetadata().getResourceVersion());
        WatchRecorder watch = watch(SELECTOR, list.getMetadata().getResourceVersion());
        await().atMost(WAIT).until(() -> api.openWatchCount() == 1);

        api.createPod(NAMESPACE, "silo-2", CLUSTER_C1, "10.0.0.2");
        api.createPod(NAMESPACE, "not-selected", Map.of("orleans/serviceId", "other"), "10.0.0.3");
        api.markTerminating(NAMESPACE, "silo-2");
        // A terminating pod is still there for a list, as during its grace period.
        assertThat(core.listNamespacedPod(NAMESPACE)
                        .labelSelector(SELECTOR)
                        .execute()
                        .getItems())
                .extracting(pod -> pod.getMetadata().getName())
                .containsExactlyInAnyOrder("silo-1", "silo-2");
        api.deletePod(NAMESPACE, "silo-2");

        await().atMost(WAIT).until(() -> watch.events.size() >= 3);
        assertThat(watch.events)
                .extracting(
                        event -> event.type + " " + event.object.getMetadata().getName())
                .containsExactly("ADDED silo-2", "MODIFIED silo-2", "DELETED silo-2");
        V1Pod terminating = watch.events.get(1).object;
        assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30);
        List<Long> versions = watch.events.stream()
                .map(event -> Long.parseLong(event.object.getMetadata().getResourceVersion()))
                .toList();
        assertThat(versions).isSorted().doesNotHaveDuplicates().allMatch(version -> version > listed);
        assertThat(api.pod(NAMESPACE, "silo-2")).isNull();
    }

    @Test
    void watchWithoutResourceVersionStartsWithTheCurrentPodsAndReportsPodsLeavingTheSelector() throws Exception {
        api.createPod(NAMESPACE, "silo-1", CLUSTER_C1, "10.0.0.1");
        api.createPod(NAMESPACE, "silo-2", CLUSTER_C1, "10.0.0.2");
        WatchRecorder watch = watch(SELECTOR, null);
        await().atMost(WAIT).until(() -> watch.events.size() >= 2);

        PatchUtils.patch(
                V1Pod.class,
                () -> core.patchNamespacedPod(
                                "silo-2",
                                NAMESPACE,
                                new V1Patch("{\"metadata\":{\"labels\":{\"orleans/clusterId\":\"c2\"}}}"))
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
                client);

        await().atMost(WAIT).until(() -> watch.events.size() >= 3);
        assertThat(watch.events)
                .extracting(
                        event -> event.type + " " + event.object.getMetadata().getName())
                .containsExactlyInAnyOrder("ADDED silo-1", "ADDED silo-2", "DELETED silo-2");
        assertThat(watch.events.getLast().type).isEqualTo("DELETED");
    }

    @Test
    void watchFromACompactedResourceVersionGetsGoneAndAFreshListCanBeWatched() throws Exception {
        api.createPod(NAMESPACE, "silo-1", CLUSTER_C1, "10.0.0.1");
        String old = core.listNamespacedPod(NAMESPACE).execute().getMetadata().getResourceVersion();
        api.markTerminating(NAMESPACE, "silo-1");
        api.compactHistory();

        WatchRecorder expired = watch(SELECTOR, old);

        await().atMost(WAIT).until(() -> expired.ended);
        assertThat(expired.events).hasSize(1);
        Watch.Response<V1Pod> error = expired.events.getFirst();
        assertThat(error.type).isEqualTo("ERROR");
        assertThat(error.status.getCode()).isEqualTo(410);
        assertThat(error.status.getReason()).isEqualTo("Expired");
        assertThat(error.status.getMessage()).startsWith("too old resource version: " + old + " (");

        String fresh = core.listNamespacedPod(NAMESPACE).execute().getMetadata().getResourceVersion();
        WatchRecorder resumed = watch(SELECTOR, fresh);
        api.createPod(NAMESPACE, "silo-2", CLUSTER_C1, "10.0.0.2");
        await().atMost(WAIT).until(() -> resumed.events.size() >= 1);
        assertThat(resumed.events)
                .extracting(
                        event -> event.type + " " + event.object.getMetadata().getName())
                .containsExactly("ADDED silo-2");
    }

    @Test
    void clusterWideWatchSeesEveryNamespaceAndEndsAtItsTimeout() throws Exception {
        api.createPod(NAMESPACE, "silo-1", CLUSTER_C1, "10.0.0.1");
        api.createPod("elsewhere", "silo-2", CLUSTER_C1, "10.0.0.2");
        Watch<V1Pod> watch = Watch.createWatch(
                client,
                core.listPodForAllNamespaces()
                        .labelSelector(SELECTOR)
                        .watch(true)
                        .timeoutSeconds(1)
                        .buildCall(null),
                new TypeToken<Watch.Response<V1Pod>>() {}.getType());
        WatchRecorder recorder = new WatchRecorder(watch);
        watches.add(recorder);

        await().atMost(WAIT).until(() -> recorder.ended);
        assertThat(recorder.failure).isNull();
        assertThat(recorder.events)
                .extracting(
                        event -> event.type + " " + event.object.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("ADDED " + NAMESPACE, "ADDED elsewhere");
    }

    @Test
    void closeWatchesEndsTheIterationAndANewWatchIsServed() throws Exception {
        WatchRecorder first = watch(SELECTOR, null);
        await().atMost(WAIT).until(() -> api.openWatchCount() == 1);

        api.closeWatches();

        await().atMost(WAIT).until(() -> first.ended);
        assertThat(first.failure).isNull();
        await().atMost(WAIT).until(() -> api.openWatchCount() == 0);
        WatchRecorder second = watch(SELECTOR, null);
        await().atMost(WAIT).until(() -> api.openWatchCount() == 1);
        api.createPod(NAMESPACE, "silo-1", CLUSTER_C1, "10.0.0.1");
        await().atMost(WAIT).until(() -> second.events.size() == 1);
        assertThat(first.events).isEmpty();
        assertThat(api.requestCount("watch")).isEqualTo(2);
    }

    @Test
    void aSharedInformerListsWatchesAndResumesItsWatchWithoutListingAgain() {
        api.createPod(NAMESPACE, "silo-1", CLUSTER_C1, "10.0.0.1");
        SharedInformerFactory informers = new SharedInformerFactory(client);
        SharedIndexInformer<V1Pod> informer = informers.sharedIndexInformerFor(
                params -> core.listNamespacedPod(NAMESPACE)
                        .labelSelector(SELECTOR)
                        .resourceVersion(params.resourceVersion)
                        .timeoutSeconds(params.timeoutSeconds)
                        .watch(params.watch)
                        .buildCall(null),
                V1Pod.class,
                V1PodList.class);
        List<String> seen = new CopyOnWriteArrayList<>();
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1Pod pod) {
                seen.add("add " + pod.getMetadata().getName());
            }

            @Override
            public void onUpdate(V1Pod before, V1Pod after) {
                seen.add("update " + after.getMetadata().getName());
            }

            @Override
            public void onDelete(V1Pod pod, boolean finalStateUnknown) {
                seen.add("delete " + pod.getMetadata().getName());
            }
        });
        informers.startAllRegisteredInformers();
        try {
            await().atMost(WAIT).until(() -> informer.hasSynced() && api.openWatchCount() == 1);
            api.createPod(NAMESPACE, "silo-2", CLUSTER_C1, "10.0.0.2");
            api.markTerminating(NAMESPACE, "silo-2");
            api.deletePod(NAMESPACE, "silo-2");
            api.closeWatches();
            await().atMost(WAIT).until(() -> api.requestCount("watch") == 2 && api.openWatchCount() == 1);
            api.createPod(NAMESPACE, "silo-3", CLUSTER_C1, "10.0.0.3");

            await().atMost(WAIT).until(() -> seen.size() >= 5);
            assertThat(seen)
                    .containsExactly("add silo-1", "add silo-2", "update silo-2", "delete silo-2", "add silo-3");
            // The reflector resumed from its last resourceVersion: one list in all.
            assertThat(api.requestCount("list")).isEqualTo(1);
        } finally {
            informers.stopAllRegisteredInformers();
        }
    }

    @Test
    void forbiddenVerbsGetTheApiServersForbiddenStatusAndAreCounted() throws Exception {
        api.forbid("list");
        api.forbid("watch");

        assertThatThrownBy(() -> core.listNamespacedPod(NAMESPACE)
                        .labelSelector(SELECTOR)
                        .execute())
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    V1Status status = JSON.deserialize(e.getResponseBody(), V1Status.class);
                    assertThat(status.getReason()).isEqualTo("Forbidden");
                    assertThat(status.getCode()).isEqualTo(403);
                    assertThat(status.getMessage())
                            .isEqualTo("pods is forbidden: User"
                                    + " \"system:serviceaccount:orleans:orleans\" cannot list resource \"pods\""
                                    + " in API group \"\" in the namespace \"orleans\"");
                });
        assertThatThrownBy(() -> watch(SELECTOR, null))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        assertThat(api.requestCount("list")).isEqualTo(1);
        assertThat(api.requestCount("watch")).isEqualTo(1);

        api.allowAll();

        assertThat(core.listNamespacedPod(NAMESPACE).execute().getItems()).isEmpty();
        assertThat(api.requestCount("list")).isEqualTo(2);
    }

    @Test
    void closeEndsOpenWatchesAndStopsServing() throws Exception {
        WatchRecorder watch = watch(SELECTOR, null);
        await().atMost(WAIT).until(() -> api.openWatchCount() == 1);

        api.close();

        await().atMost(WAIT).until(() -> watch.ended);
        assertThat(api.openWatchCount()).isZero();
        assertThatThrownBy(() -> core.listNamespacedPod(NAMESPACE).execute())
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.getCode()).isZero());
    }

    private WatchRecorder watch(String labelSelector, String resourceVersion) throws ApiException {
        Watch<V1Pod> watch = Watch.createWatch(
                client,
                core.listNamespacedPod(NAMESPACE)
                        .labelSelector(labelSelector)
                        .watch(true)
                        .resourceVersion(resourceVersion)
                        .buildCall(null),
                new TypeToken<Watch.Response<V1Pod>>() {}.getType());
        WatchRecorder recorder = new WatchRecorder(watch);
        watches.add(recorder);
        return recorder;
    }

    /** Iterates a watch on its own thread, the way an agent's watch loop does, recording what it sees. */
    private static final class WatchRecorder implements AutoCloseable {

        final List<Watch.Response<V1Pod>> events = new CopyOnWriteArrayList<>();
        volatile boolean ended;
        volatile RuntimeException failure;
        private final Watch<V1Pod> watch;
        private final Thread reader;

        WatchRecorder(Watch<V1Pod> watch) {
            this.watch = watch;
            this.reader = Thread.ofVirtual().name("watch-recorder").start(this::read);
        }

        private void read() {
            try {
                for (Watch.Response<V1Pod> event : watch) {
                    events.add(event);
                }
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                ended = true;
            }
        }

        @Override
        public void close() {
            try {
                watch.close();
                reader.join(WAIT);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
