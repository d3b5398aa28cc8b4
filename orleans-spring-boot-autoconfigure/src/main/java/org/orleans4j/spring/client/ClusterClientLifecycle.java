package org.orleans4j.spring.client;

import org.orleans4j.client.ClusterClient;
import org.orleans4j.client.ClusterClientException;
import org.orleans4j.spring.autoconfigure.OrleansLifecyclePhases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Connects the cluster client when the context starts and closes it when the context stops. Its
 * phase is the silo's: before the web server on start, after it on stop, so no web request is
 * served before the client is connected or after it closed. A client that cannot connect (no
 * gateway reachable, another service id or cluster id) fails the start with the client's message.
 */
public class ClusterClientLifecycle implements SmartLifecycle {

    /** The silo's phase, below the web server's. */
    public static final int PHASE = OrleansLifecyclePhases.RUNTIME;

    private static final Logger log = LoggerFactory.getLogger(ClusterClientLifecycle.class);

    private final ClusterClient client;
    private volatile boolean running;

    public ClusterClientLifecycle(ClusterClient client) {
        this.client = client;
    }

    @Override
    public void start() {
        try {
            client.connect();
        } catch (ClusterClientException e) {
            throw new IllegalStateException(
                    "The cluster client (orleans.client.enabled=true) could not connect to "
                            + "service '" + client.clusterOptions().serviceId() + "' cluster '"
                            + client.clusterOptions().clusterId()
                            + "' (orleans.client.service-id and cluster-id, by default "
                            + "orleans.cluster.*; gateways from orleans.client.gateways, else the membership table): "
                            + e.getMessage(),
                    e);
        }
        running = true;
        log.info(
                "Cluster client connected to service {} cluster {} through gateways {}",
                client.clusterOptions().serviceId(),
                client.clusterOptions().clusterId(),
                client.connectedGateways());
    }

    @Override
    public void stop() {
        log.info("Closing the cluster client");
        client.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
