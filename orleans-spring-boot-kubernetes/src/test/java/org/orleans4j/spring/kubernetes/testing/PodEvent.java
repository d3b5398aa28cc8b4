package org.orleans4j.spring.kubernetes.testing;

import java.util.Map;

/**
 * One change to a pod, as the store made it.
 *
 * <p>It keeps the labels before and after the change rather than a fixed event type, because the
 * type depends on the watcher: a label change is MODIFIED for a watch whose selector matches both
 * states, but ADDED or DELETED for one whose selector matches only one of them (as the API
 * server's watch cache reports it).
 *
 * @param resourceVersion the change's resourceVersion, also in {@code object}
 * @param namespace the pod's namespace
 * @param labelsBefore the labels before the change; null when the pod was created
 * @param labelsAfter the labels after the change; null when the pod was deleted
 * @param object the pod after the change (for a deletion its last state) as one line of JSON
 */
record PodEvent(
        long resourceVersion,
        String namespace,
        Map<String, String> labelsBefore,
        Map<String, String> labelsAfter,
        String object) {

    /**
     * The event type a watch sees for this change, or null when the change is outside the watch.
     *
     * @param watchedNamespace the watch's namespace, null for a cluster-wide watch
     */
    String typeFor(String watchedNamespace, LabelSelector selector) {
        if (watchedNamespace != null && !watchedNamespace.equals(namespace)) {
            return null;
        }
        boolean matchedBefore = labelsBefore != null && selector.matches(labelsBefore);
        boolean matchesAfter = labelsAfter != null && selector.matches(labelsAfter);
        if (matchedBefore && matchesAfter) {
            return "MODIFIED";
        }
        if (matchedBefore) {
            return "DELETED";
        }
        return matchesAfter ? "ADDED" : null;
    }

    /** The event as a line of the watch stream. */
    String line(String type) {
        return watchLine(type, object);
    }

    static String watchLine(String type, String objectJson) {
        return "{\"type\":\"" + type + "\",\"object\":" + objectJson + "}\n";
    }
}
