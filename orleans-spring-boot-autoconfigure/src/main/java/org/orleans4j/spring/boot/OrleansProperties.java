package org.orleans4j.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the silo hosted by this application ({@code orleans.*}). In a pod, the
 * environment variables {@code ORLEANS_SERVICE_ID}, {@code ORLEANS_CLUSTER_ID} and {@code POD_NAME}
 * override the service id, cluster id and silo name; {@code POD_IP} is the advertised address
 * unless one is configured.
 *
 * @param cluster which cluster this silo joins
 * @param silo this silo's identity
 * @param endpoints ports and addresses
 * @param grainCollection activation lifecycle timing
 * @param messaging grain call options
 * @param placement placement options
 */
@ConfigurationProperties("orleans")
public record OrleansProperties(@DefaultValue Cluster cluster, @DefaultValue Silo silo, @DefaultValue Endpoints endpoints,
        @DefaultValue GrainCollection grainCollection, @DefaultValue Messaging messaging,
        @DefaultValue Placement placement) {

    /**
     * Cluster identity.
     *
     * @param serviceId stays the same across deployments of a service; stored state and the
     *        membership table are scoped by it
     * @param clusterId names one deployment of the service; only silos with the same service id and
     *        cluster id form a cluster
     */
    public record Cluster(@DefaultValue("default") String serviceId, @DefaultValue("default") String clusterId) {
        public Cluster {
            PropertyChecks.requireText(serviceId, "orleans.cluster.service-id");
            PropertyChecks.requireText(clusterId, "orleans.cluster.cluster-id");
        }
    }

    /**
     * This silo.
     *
     * @param name the silo's name (in Kubernetes: the pod name); defaults to the host name
     * @param role the role matched by silo-role-based placement; defaults to the silo name
     */
    public record Silo(String name, String role) {
    }

    /**
     * Ports and addresses.
     *
     * @param siloPort port for silo-to-silo messaging
     * @param gatewayPort port on which cluster clients connect; 0 disables the gateway
     * @param advertisedAddress address other silos use to reach this one; by default the pod IP
     *        in Kubernetes, else this host's address
     * @param listenAddress address to bind the ports to; by default every interface
     */
    public record Endpoints(@DefaultValue("11111") int siloPort, @DefaultValue("30000") int gatewayPort,
            String advertisedAddress, String listenAddress) {
        public Endpoints {
            PropertyChecks.requirePort(siloPort, "orleans.endpoints.silo-port");
            PropertyChecks.requirePort(gatewayPort, "orleans.endpoints.gateway-port");
        }
    }

    /**
     * Activation lifecycle.
     *
     * @param collectionAge idle time after which an activation is deactivated
     * @param collectionQuantum how often idle activations are looked for
     * @param activationTimeout limit for reading a grain's state and running its onActivate
     * @param deactivationTimeout limit for a grain's onDeactivate
     */
    public record GrainCollection(@DefaultValue("15m") Duration collectionAge,
            @DefaultValue("1m") Duration collectionQuantum, @DefaultValue("30s") Duration activationTimeout,
            @DefaultValue("30s") Duration deactivationTimeout) {
        public GrainCollection {
            PropertyChecks.requirePositive(collectionAge, "orleans.grain-collection.collection-age");
            PropertyChecks.requirePositive(collectionQuantum, "orleans.grain-collection.collection-quantum");
            PropertyChecks.requirePositive(activationTimeout, "orleans.grain-collection.activation-timeout");
            PropertyChecks.requirePositive(deactivationTimeout, "orleans.grain-collection.deactivation-timeout");
        }
    }

    /**
     * Grain calls.
     *
     * @param responseTimeout how long a caller waits for a grain's response before failing
     */
    public record Messaging(@DefaultValue("30s") Duration responseTimeout) {
        public Messaging {
            PropertyChecks.requirePositive(responseTimeout, "orleans.messaging.response-timeout");
        }
    }

    /**
     * Placement.
     *
     * @param activationCountChooseOutOf how many random silos activation-count-based placement
     *        compares before taking the least loaded
     */
    public record Placement(@DefaultValue("2") int activationCountChooseOutOf) {
        public Placement {
            if (activationCountChooseOutOf < 1) {
                throw new IllegalArgumentException(
                        "orleans.placement.activation-count-choose-out-of must be at least 1, was " + activationCountChooseOutOf);
            }
        }
    }
}
