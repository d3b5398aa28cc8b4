package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.calls.CallRetryOptions;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.messaging.internal.SiloMessaging;
import org.orleans4j.metadata.GrainTypeRegistry;
import org.orleans4j.placement.PlacementStrategyResolver;
import org.orleans4j.runtime.LifecycleGrains.Tracked;
import org.orleans4j.serialization.internal.SerializationTypes;
import org.orleans4j.serialization.internal.WireSerializer;

/**
 * A silo's gateway listens while the silo is still being assembled (so a port in use fails the build),
 * and a client that reconnects at once after a restart may call in that moment: its call is refused as
 * not delivered, which it may retry, instead of failing inside the silo.
 */
class GatewayBeforeStartTest {

    private static final ClusterOptions CLUSTER = new ClusterOptions("svc", "before-start");

    private SiloMessaging messaging;
    private ClusterClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (messaging != null) {
            messaging.close();
        }
    }

    @Test
    void aCallThatArrivesBeforeTheSiloIsAssembledIsRefusedAsNotDelivered() {
        messaging = new SiloMessaging(CLUSTER, new SiloAddress("127.0.0.1", 0, 1), MessagingOptions.DEFAULT, 1);
        SiloAddress address = new SiloAddress("127.0.0.1", messaging.listen("127.0.0.1", 0), 1);
        messaging.setLocalSilo(address);
        int gatewayPort = messaging.listenGateway("127.0.0.1", 0);
        GrainTypeRegistry registry = new GrainTypeRegistry(new PlacementStrategyResolver());
        registry.register(LifecycleGrains.TrackedGrain.class);
        SerializationTypes types = new SerializationTypes();
        registry.grainInterfaces().forEach(types::scanInterface);
        // The message center exists and takes messages, but no dispatcher is bound yet: the moment in question.
        new MessageCenter(
                address,
                messaging,
                new WireSerializer(types, MessagingOptions.DEFAULT.maxFrameBytes()),
                registry,
                MessagingOptions.DEFAULT,
                Runnable::run);

        client = ClusterClient.builder()
                .clusterOptions(CLUSTER)
                .staticGateways(List.of("127.0.0.1:" + gatewayPort))
                .callRetryOptions(CallRetryOptions.DISABLED)
                .addGrainInterfaces(Tracked.class)
                .build();
        client.connect();
        Throwable failure = catchThrowable(() -> client.grainFactory()
                .getGrain(Tracked.class, "early")
                .activationId()
                .get(10, TimeUnit.SECONDS));

        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause())
                .isInstanceOf(CallNotDeliveredException.class)
                .hasMessageContaining("is starting");
    }
}
