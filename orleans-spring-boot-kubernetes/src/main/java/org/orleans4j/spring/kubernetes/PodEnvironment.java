package org.orleans4j.spring.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This silo's pod: its namespace, name and IP, resolved from {@link KubernetesHostingProperties}
 * (which the downward API variables fill in) and the service account's namespace file.
 *
 * @param namespace the pod's namespace
 * @param podName the pod's name, also the silo name
 * @param podIp the pod's IP, or {@code null} when not given (then the pod name is resolved)
 */
public record PodEnvironment(String namespace, String podName, String podIp) {

    /** Where Kubernetes mounts the namespace of the pod's service account. */
    public static final Path SERVICE_ACCOUNT_NAMESPACE =
            Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    /**
     * Resolves the pod from the properties, failing with a message that names the missing variable.
     */
    public static PodEnvironment resolve(KubernetesHostingProperties properties, Path namespaceFile) {
        String podName = blankToNull(properties.podName());
        if (podName == null) {
            throw new IllegalStateException("Kubernetes hosting is on but POD_NAME is not set: add it to the silo "
                    + "container's env from the downward API (valueFrom.fieldRef.fieldPath: metadata.name), or set "
                    + "orleans.kubernetes.pod-name");
        }
        String namespace = blankToNull(properties.namespace());
        if (namespace == null) {
            namespace = readNamespaceFile(namespaceFile);
        }
        if (namespace == null) {
            throw new IllegalStateException("Kubernetes hosting is on but POD_NAMESPACE is not set and " + namespaceFile
                    + " does not exist: add POD_NAMESPACE to the silo container's env from the downward API "
                    + "(valueFrom.fieldRef.fieldPath: metadata.namespace), or set orleans.kubernetes.namespace");
        }
        return new PodEnvironment(namespace, podName, blankToNull(properties.podIp()));
    }

    /** The address other silos reach this one at: the pod IP, else what the pod name resolves to. */
    public String advertisedAddress() {
        if (podIp != null) {
            return podIp;
        }
        try {
            return InetAddress.getByName(podName).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(
                    "Kubernetes hosting: POD_IP is not set and the pod name '" + podName
                            + "' does not resolve; add POD_IP from the downward API (valueFrom.fieldRef.fieldPath: "
                            + "status.podIP), or set orleans.endpoints.advertised-address",
                    e);
        }
    }

    private static String readNamespaceFile(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            return blankToNull(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the service account namespace file " + file, e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
