package org.orleans4j.spring.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.spring.kubernetes.testing.KubernetesTestApi;

/** The pod's deletion cost follows the silo's activation count, on a real HTTP Kubernetes API. */
class PodDeletionCostTest {

    private static final String NAMESPACE = "prod";
    private static final String POD = "silo-0";

    private final KubernetesTestApi api = KubernetesTestApi.start();
    private final AtomicInteger activations = new AtomicInteger(12);
    private final PodDeletionCost cost = new PodDeletionCost(
            new PodsApi(api.apiClient(), NAMESPACE, "dictionary", "blue", Duration.ofMinutes(5)),
            POD,
            activations::get,
            Duration.ofMinutes(10));

    @AfterEach
    void stop() {
        cost.stop();
        api.close();
    }

    private String annotation() {
        Map<String, String> annotations = api.pod(NAMESPACE, POD).getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(PodDeletionCost.ANNOTATION);
    }

    @Test
    void theAnnotationIsTheActivationCountAndIsPatchedOnlyWhenItChanges() {
        api.createPod(NAMESPACE, POD, Map.of("app", "orleans"), "10.0.0.5");
        cost.start(); // the first update runs at once
        await().atMost(Duration.ofSeconds(10)).until(() -> "12".equals(annotation()));
        assertThat(api.pod(NAMESPACE, POD).getMetadata().getLabels())
                .as("a merge patch leaves the rest of the pod alone")
                .containsEntry("app", "orleans");

        long patches = api.requestCount("patch");
        cost.update();
        assertThat(api.requestCount("patch")).as("unchanged: not patched").isEqualTo(patches);

        activations.set(3);
        cost.update();
        assertThat(annotation()).isEqualTo("3");
        assertThat(api.requestCount("patch")).isEqualTo(patches + 1);
    }

    @Test
    void aRoleWithoutPatchIsLoggedAndRetriedWhileTheSiloServesOn() {
        api.createPod(NAMESPACE, POD, Map.of(), "10.0.0.5");
        api.forbid("patch");
        cost.update();
        assertThat(annotation()).isNull();

        api.allow("patch");
        cost.update();
        assertThat(annotation()).as("the next period writes it").isEqualTo("12");
    }
}
