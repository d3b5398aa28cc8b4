package org.orleans4j.spring.kubernetes;

import io.kubernetes.client.openapi.models.V1Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The silo's own pod lacks the labels the cluster agent scopes silos by, while the agent is told
 * not to set them ({@code orleans.kubernetes.label-pod=false}). The other silos' agents list pods by
 * these labels, so a pod without them would be invisible to them; the agent stops here rather than
 * act on a view the other silos do not share.
 */
final class PodLabelsMissingException extends RuntimeException {

    private final List<String> missing;

    private PodLabelsMissingException(String message, List<String> missing) {
        super(message);
        this.missing = List.copyOf(missing);
    }

    /** The expected labels the pod lacks or carries with another value, as {@code key=value}. */
    List<String> missing() {
        return missing;
    }

    /**
     * Throws when {@code pod} (the silo's own, {@code empty} when the API has no pod of that name)
     * does not carry every label of {@code expected} with the same value.
     */
    static void check(String podName, String namespace, Optional<V1Pod> pod, Map<String, String> expected) {
        if (pod.isEmpty()) {
            throw new PodLabelsMissingException(
                    "The Kubernetes API has no pod '" + podName + "' in namespace '"
                            + namespace
                            + "' to check the silo's labels on: is POD_NAME (orleans.kubernetes.pod-name) the "
                            + "pod's metadata.name and POD_NAMESPACE (orleans.kubernetes.namespace) its namespace?",
                    expected.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .toList());
        }
        Map<String, String> actual =
                pod.get().getMetadata() == null || pod.get().getMetadata().getLabels() == null
                        ? Map.of()
                        : pod.get().getMetadata().getLabels();
        List<String> missing = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (Map.Entry<String, String> label : expected.entrySet()) {
            String found = actual.get(label.getKey());
            if (!label.getValue().equals(found)) {
                missing.add(label.getKey() + "=" + label.getValue());
                described.add(label.getKey() + "=" + label.getValue()
                        + (found == null ? " (absent)" : " (the pod has '" + found + "')"));
            }
        }
        if (!missing.isEmpty()) {
            throw new PodLabelsMissingException(
                    "Pod '" + podName + "' in namespace '" + namespace + "' lacks the "
                            + "labels " + String.join(", ", described)
                            + ", by which the Kubernetes agents of the cluster find "
                            + "the silos' pods. orleans.kubernetes.label-pod is false, so this agent does not label its pod: "
                            + "set them on the pod template, or enable orleans.kubernetes.label-pod and grant patch on pods to "
                            + "the silo's Role. Until then this agent neither declares silos Dead nor watches pods.",
                    missing);
        }
    }
}
