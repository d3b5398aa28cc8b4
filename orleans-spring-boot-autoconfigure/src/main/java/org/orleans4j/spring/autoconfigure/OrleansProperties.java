package org.orleans4j.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.CallRetryOptions;
import org.orleans4j.internal.OptionChecks;
import org.orleans4j.messaging.MessagingOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the silo hosted by this application ({@code orleans.*}). In a pod, the
 * environment variables {@code ORLEANS_SERVICE_ID}, {@code ORLEANS_CLUSTER_ID} and {@code POD_NAME}
 * override the service id, cluster id and silo name; {@code POD_IP} is the advertised address
 * unless one is configured.
 *
 * @param cluster Which cluster this silo joins
 * @param silo This silo's identity
 * @param endpoints Ports and addresses
 * @param grainCollection Activation lifecycle timing
 * @param messaging Grain call options (of a cluster client too)
 * @param placement Placement options
 * @param serialization What may cross the wire between silos (and clients)
 * @param shutdown How the application shuts down
 */
@ConfigurationProperties("orleans")
public record OrleansProperties(
        @DefaultValue Cluster cluster,
        @DefaultValue Silo silo,
        @DefaultValue Endpoints endpoints,
        @DefaultValue GrainCollection grainCollection,
        @DefaultValue Messaging messaging,
        @DefaultValue Placement placement,
        @DefaultValue Serialization serialization,
        @DefaultValue Shutdown shutdown) {

    /**
     * Shutdown (SIGTERM).
     *
     * @param readinessDelay How long the application keeps serving after its readiness turned
     *        REFUSING_TRAFFIC, before the web server and the silo stop, so that load balancers (a
     *        Kubernetes Service's endpoints) stop sending it requests first; 0 stops at once
     */
    public record Shutdown(@DefaultValue("0s") Duration readinessDelay) {
        public Shutdown {
            if (readinessDelay == null || readinessDelay.isNegative()) {
                throw new IllegalArgumentException(
                        "orleans.shutdown.readiness-delay must be 0 or positive, was " + readinessDelay);
            }
        }
    }

    /**
     * Cluster identity.
     *
     * @param serviceId Stays the same across deployments of a service; stored state and the
     *        membership table are scoped by it
     * @param clusterId Names one deployment of the service; only silos with the same service id and
     *        cluster id form a cluster
     */
    public record Cluster(
            @DefaultValue("default") String serviceId,
            @DefaultValue("default") String clusterId) {
        public Cluster {
            OptionChecks.requireText(serviceId, "orleans.cluster.service-id");
            OptionChecks.requireText(clusterId, "orleans.cluster.cluster-id");
        }
    }

    /**
     * This silo.
     *
     * @param name The silo's name (in Kubernetes: the pod name); defaults to the host name
     * @param role The role matched by silo-role-based placement; defaults to the silo name
     * @param appVersion The application version of this silo's build, published in its membership row and
     *        compared as a release number (1.10.0 after 1.9.3, 2.0.0 after 2.0.0-RC1): during a rolling
     *        upgrade new activations go to the silos of the newest version present. Defaults to the version
     *        of the application's build info (META-INF/build-info.properties, from the Spring Boot Maven
     *        plugin's build-info goal); the Helm chart sets it to the image tag
     */
    public record Silo(String name, String role, String appVersion) {}

    /**
     * Ports and addresses.
     *
     * @param siloPort Port for silo-to-silo messaging
     * @param gatewayPort Port on which cluster clients connect; 0 disables the gateway
     * @param advertisedAddress Address other silos use to reach this one; by default the pod IP
     *        in Kubernetes, else this host's address
     * @param listenAddress Address to bind the ports to; by default every interface
     */
    public record Endpoints(
            @DefaultValue("11111") int siloPort,
            @DefaultValue("30000") int gatewayPort,
            String advertisedAddress,
            String listenAddress) {
        public Endpoints {
            OptionChecks.requirePort(siloPort, "orleans.endpoints.silo-port");
            OptionChecks.requirePort(gatewayPort, "orleans.endpoints.gateway-port");
        }
    }

    /**
     * Activation lifecycle.
     *
     * @param collectionAge Idle time after which an activation is deactivated
     * @param collectionQuantum How often idle activations are looked for
     * @param activationTimeout Limit for reading a grain's state and running its onActivate
     * @param deactivationTimeout Limit for a grain's onDeactivate
     */
    public record GrainCollection(
            @DefaultValue("15m") Duration collectionAge,
            @DefaultValue("1m") Duration collectionQuantum,
            @DefaultValue("30s") Duration activationTimeout,
            @DefaultValue("30s") Duration deactivationTimeout) {
        public GrainCollection {
            OptionChecks.requirePositive(collectionAge, "orleans.grain-collection.collection-age");
            OptionChecks.requirePositive(collectionQuantum, "orleans.grain-collection.collection-quantum");
            OptionChecks.requirePositive(activationTimeout, "orleans.grain-collection.activation-timeout");
            OptionChecks.requirePositive(deactivationTimeout, "orleans.grain-collection.deactivation-timeout");
        }
    }

    /**
     * Grain calls and silo connections, and the bounds that keep any one peer of the silo and gateway
     * ports from taking more than its share of memory and threads.
     *
     * @param responseTimeout How long a caller waits for a grain's response before failing; also how long a
     *        request may wait on the callee before it is dropped unrun
     * @param maxFrameSize Largest message a silo accepts; a bigger one closes that connection
     * @param handshakeTimeout How long a new connection may take to identify its cluster
     * @param idleTimeout A connection on which nothing arrived for this long is closed; both ends ping after a
     *        third of it without traffic
     * @param frameTimeout How long one message may take to arrive once it started; a peer trickling bytes is cut off
     * @param maxInflightRequests Requests one connection may have waiting for an answer; more are answered at once
     *        "overloaded", unrun, which callers retry
     * @param maxPendingWrites Bytes written to a connection that its peer has not read yet; past this the
     *        connection is closed
     * @param maxConnections Connections one port (silo or gateway) accepts at once
     * @param maxConnectionsPerAddress Connections one remote IP address may hold open to one port
     * @param maxObjectDepth Deepest nesting of objects in a serialized argument, result or exception
     * @param maxElements Collection, map and object-array elements one message may hold, all together
     * @param eventLoopLinger How long an event loop stays awake, polling and yielding its core, after its last work
     *        before it blocks (at most 1ms): it spares each call between silos the wake-ups of its event loops.
     *        Each loop shortens its linger while lingering goes unrewarded; 0 blocks at once, for silos whose CPU
     *        quota matters more than their latency
     * @param retry Retries of calls that failed in transit: those that provably did not run, and those of
     *        {@code @Idempotent} or {@code @ReadOnly} methods, until the response timeout
     */
    public record Messaging(
            @DefaultValue("30s") Duration responseTimeout,
            @DefaultValue("16MB") DataSize maxFrameSize,
            @DefaultValue("5s") Duration handshakeTimeout,
            @DefaultValue("90s") Duration idleTimeout,
            @DefaultValue("30s") Duration frameTimeout,
            @DefaultValue("10000") int maxInflightRequests,
            @DefaultValue("64MB") DataSize maxPendingWrites,
            @DefaultValue("4096") int maxConnections,
            @DefaultValue("256") int maxConnectionsPerAddress,
            @DefaultValue("64") int maxObjectDepth,
            @DefaultValue("1048576") int maxElements,
            @DefaultValue("100us") Duration eventLoopLinger,
            @DefaultValue Retry retry) {
        public Messaging {
            OptionChecks.requirePositive(responseTimeout, "orleans.messaging.response-timeout");
            OptionChecks.requirePositive(handshakeTimeout, "orleans.messaging.handshake-timeout");
            OptionChecks.requirePositive(frameTimeout, "orleans.messaging.frame-timeout");
            if (maxFrameSize.toBytes() < 1024 || maxFrameSize.toBytes() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "orleans.messaging.max-frame-size must be between 1KB and 2GB, was " + maxFrameSize);
            }
            if (idleTimeout.toMillis() < 300) {
                throw new IllegalArgumentException(
                        "orleans.messaging.idle-timeout must be at least 300ms, was " + idleTimeout);
            }
            atLeast(maxInflightRequests, 1, "orleans.messaging.max-inflight-requests");
            atLeast(maxConnections, 1, "orleans.messaging.max-connections");
            atLeast(maxConnectionsPerAddress, 1, "orleans.messaging.max-connections-per-address");
            atLeast(maxObjectDepth, 4, "orleans.messaging.max-object-depth");
            atLeast(maxElements, 1, "orleans.messaging.max-elements");
            if (eventLoopLinger.isNegative() || eventLoopLinger.compareTo(MessagingOptions.MAX_EVENT_LOOP_LINGER) > 0) {
                throw new IllegalArgumentException(
                        "orleans.messaging.event-loop-linger must be between 0 and 1ms, was " + eventLoopLinger);
            }
            if (maxPendingWrites.toBytes() < maxFrameSize.toBytes()) {
                throw new IllegalArgumentException("orleans.messaging.max-pending-writes (" + maxPendingWrites
                        + ") must be at least orleans.messaging.max-frame-size (" + maxFrameSize + ")");
            }
        }

        private static void atLeast(long value, long minimum, String property) {
            if (value < minimum) {
                throw new IllegalArgumentException(property + " must be at least " + minimum + ", was " + value);
            }
        }

        /** The runtime's messaging options, for a silo or a cluster client. */
        public MessagingOptions messagingOptions() {
            return new MessagingOptions(
                    responseTimeout,
                    (int) maxFrameSize.toBytes(),
                    handshakeTimeout,
                    idleTimeout,
                    frameTimeout,
                    maxInflightRequests,
                    maxPendingWrites.toBytes(),
                    maxConnections,
                    maxConnectionsPerAddress,
                    maxObjectDepth,
                    maxElements,
                    eventLoopLinger);
        }

        /** The runtime's retry options, for a silo or a cluster client. */
        public CallRetryOptions callRetryOptions() {
            return new CallRetryOptions(retry.enabled(), retry.initialBackoff(), retry.maxBackoff());
        }
    }

    /**
     * Retries of calls that failed in transit. Delivery is at most once: a call is sent again only when it
     * provably did not run (no connection to its silo or gateway, refused before its turn) or when its method is
     * {@code @Idempotent} or {@code @ReadOnly}; one that may have run fails with
     * {@code CallOutcomeUnknownException}. Each retry finds the grain again and waits twice as long as the one
     * before, and retries stop when the call's response timeout ({@code orleans.messaging.response-timeout})
     * runs out.
     *
     * @param enabled Whether calls that failed in transit are retried at all; false hands every such failure to
     *        the caller
     * @param initialBackoff Wait before the first retry, doubled for each further one
     * @param maxBackoff Longest wait between two attempts; at least the initial backoff
     */
    public record Retry(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("50ms") Duration initialBackoff,
            @DefaultValue("1s") Duration maxBackoff) {
        public Retry {
            OptionChecks.requirePositive(initialBackoff, "orleans.messaging.retry.initial-backoff");
            OptionChecks.requirePositive(maxBackoff, "orleans.messaging.retry.max-backoff");
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("orleans.messaging.retry.max-backoff (" + maxBackoff
                        + ") must be at least orleans.messaging.retry.initial-backoff (" + initialBackoff + ")");
            }
        }
    }

    /**
     * Serialization between silos.
     *
     * @param allowedTypes Classes allowed on the wire besides those reachable from grain interface
     *        signatures, e.g. subclasses of a declared supertype (fully qualified names)
     */
    public record Serialization(@DefaultValue List<String> allowedTypes) {

        /** The allowed types as classes; a name that is no class fails, naming the property. */
        public List<Class<?>> allowedClasses(ClassLoader loader) {
            List<Class<?>> classes = new ArrayList<>();
            for (String name : allowedTypes) {
                Class<?> type = load(name.trim(), loader);
                if (type == null) {
                    throw new IllegalArgumentException("orleans.serialization.allowed-types names a class that does "
                            + "not exist: " + name + " (a nested class may be written Outer.Inner or Outer$Inner)");
                }
                classes.add(type);
            }
            return classes;
        }

        /** The class {@code name}, as a binary name ({@code Outer$Inner}) or a canonical one ({@code Outer.Inner}). */
        private static @Nullable Class<?> load(String name, ClassLoader loader) {
            String candidate = name;
            while (true) {
                try {
                    return Class.forName(candidate, false, loader);
                } catch (ClassNotFoundException e) {
                    int dot = candidate.lastIndexOf('.');
                    if (dot < 0) {
                        return null;
                    }
                    candidate = candidate.substring(0, dot) + '$' + candidate.substring(dot + 1);
                }
            }
        }
    }

    /**
     * Placement.
     *
     * @param activationCountChooseOutOf How many random silos activation-count-based placement
     *        compares before taking the least loaded
     * @param preferNewestVersion Whether new activations go only to the silos of the newest application
     *        version present (orleans.silo.app-version), among those that host the grain type, so that a
     *        rolling upgrade moves grains forward and never back; stateless workers still run where
     *        they are called
     */
    public record Placement(
            @DefaultValue("2") int activationCountChooseOutOf,
            @DefaultValue("true") boolean preferNewestVersion) {
        public Placement {
            if (activationCountChooseOutOf < 1) {
                throw new IllegalArgumentException(
                        "orleans.placement.activation-count-choose-out-of must be at least 1, was "
                                + activationCountChooseOutOf);
            }
        }
    }
}
