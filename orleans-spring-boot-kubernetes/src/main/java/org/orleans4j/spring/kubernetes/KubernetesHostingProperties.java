package org.orleans4j.spring.kubernetes;

import java.time.Duration;
import org.orleans4j.internal.OptionChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Kubernetes hosting ({@code orleans.kubernetes.*}): the silo takes its name and address from its
 * pod, and a cluster agent keeps the membership table in line with the pods of the service and
 * cluster. The pod values come from the downward API variables the Helm chart sets.
 *
 * @param enabled Whether Kubernetes hosting is on; unset, it is on when Spring Boot detects
 *        Kubernetes ({@code KUBERNETES_SERVICE_HOST} and {@code KUBERNETES_SERVICE_PORT}, or
 *        {@code spring.main.cloud-platform=kubernetes})
 * @param namespace Namespace of this silo's pod; defaults to {@code POD_NAMESPACE}, else the service
 *        account's namespace file
 * @param podName Name of this silo's pod, which is also the silo name; defaults to {@code POD_NAME}
 * @param podIp IP address of this silo's pod, advertised to the other silos; defaults to
 *        {@code POD_IP}, else the address the pod name resolves to
 * @param maxAgents How many Active silos (the oldest first) watch the pods and declare the silo of a
 *        deleted pod Dead
 * @param deleteDefunctSiloPods Whether watching silos delete the pods of silos declared Dead (the
 *        Role then needs the {@code delete} verb on pods)
 * @param labelPod Whether the agent puts the {@code orleans/serviceId} and {@code orleans/clusterId}
 *        labels on its own pod at start (the Role then needs the {@code patch} verb on pods). False
 *        when the pod template already sets them, as the Helm chart does: the agent then only reads
 *        its pod and, if a label is missing or differs, stays stopped and reports it in health and
 *        the log until the pod carries them
 * @param initialBackoff Wait before the first retry of a failed Kubernetes API call; it doubles on
 *        each further failure
 * @param maxBackoff Longest wait between retries of failed Kubernetes API calls
 * @param watchTimeout How long one watch of the pods lasts before it is re-listed and resumed
 * @param podDeletionCostPeriod How often the silo sets its pod's
 *        {@code controller.kubernetes.io/pod-deletion-cost} annotation to the number of grains it hosts
 *        (only when it changed), so that a scale-down or a rolling update removes the emptiest pod
 *        first; the Role then needs the {@code patch} verb on pods. Zero turns it off
 */
@ConfigurationProperties("orleans.kubernetes")
public record KubernetesHostingProperties(
        Boolean enabled,
        String namespace,
        String podName,
        String podIp,
        @DefaultValue("2") int maxAgents,
        @DefaultValue("false") boolean deleteDefunctSiloPods,
        @DefaultValue("true") boolean labelPod,
        @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("1m") Duration maxBackoff,
        @DefaultValue("5m") Duration watchTimeout,
        @DefaultValue("1m") Duration podDeletionCostPeriod) {

    public KubernetesHostingProperties {
        if (maxAgents < 1) {
            throw new IllegalArgumentException("orleans.kubernetes.max-agents must be at least 1, was " + maxAgents);
        }
        OptionChecks.requirePositive(initialBackoff, "orleans.kubernetes.initial-backoff");
        OptionChecks.requirePositive(maxBackoff, "orleans.kubernetes.max-backoff");
        OptionChecks.requirePositive(watchTimeout, "orleans.kubernetes.watch-timeout");
        if (podDeletionCostPeriod.isNegative()) {
            throw new IllegalArgumentException(
                    "orleans.kubernetes.pod-deletion-cost-period must not be negative, was " + podDeletionCostPeriod);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("orleans.kubernetes.max-backoff (" + maxBackoff
                    + ") must not be shorter than orleans.kubernetes.initial-backoff (" + initialBackoff + ")");
        }
    }
}
