package org.orleans4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainId;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.messaging.Rejection;
import org.orleans4j.messaging.internal.Message;
import org.orleans4j.messaging.internal.SiloConnection;
import org.orleans4j.messaging.internal.SiloMessaging;
import org.orleans4j.metadata.MethodInfo;
import org.orleans4j.metadata.RemoteManifest;
import org.orleans4j.runtime.Silo;
import org.orleans4j.serialization.internal.SerializationTypes;
import org.orleans4j.serialization.internal.WireSerializer;
import org.orleans4j.testing.TestCluster;

/** What a gateway lets a client connection do, spoken by hand over the wire. */
class GatewayProtocolTest {

    private static final SiloAddress CLIENT = new SiloAddress("client", 0, 42);

    private TestCluster cluster;
    private SiloMessaging client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private SiloConnection connect() {
        cluster = TestCluster.builder().silos(1).gateways().start();
        Silo silo = cluster.silo(0);
        client = SiloMessaging.forClient(silo.clusterOptions(), CLIENT, MessagingOptions.DEFAULT, 1, "raw-client");
        return client.connect("127.0.0.1", silo.gatewayPort()).join();
    }

    private static Message systemCall(long id, String target, SiloAddress gateway) {
        WireSerializer serializer =
                new WireSerializer(new SerializationTypes(), MessagingOptions.DEFAULT_MAX_FRAME_BYTES);
        return new Message(
                Message.Direction.REQUEST,
                id,
                GrainId.ofString(Message.SYSTEM_GRAIN_TYPE, target),
                gateway,
                null,
                CLIENT,
                null,
                target.equals(Message.MANIFEST_TARGET) ? MANIFEST_OPERATION : 0,
                0,
                0,
                false,
                Message.OK,
                serializer.serializeArgs(new Object[0]));
    }

    private static final int MANIFEST_OPERATION = manifestOperation();

    private static int manifestOperation() {
        try {
            return MethodInfo.idOf(RemoteManifest.class.getMethod("manifest"));
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aClientMayAskForTheManifestButNotCallTheSilosOwnSystemTargets() {
        SiloConnection connection = connect();
        WireSerializer serializer =
                new WireSerializer(new SerializationTypes(), MessagingOptions.DEFAULT_MAX_FRAME_BYTES);
        CompletableFuture<Message> manifest = new CompletableFuture<>();
        CompletableFuture<Message> directory = new CompletableFuture<>();
        client.onMessage((message, from) -> (message.correlationId() == 1 ? manifest : directory).complete(message));

        connection
                .send(systemCall(1, Message.MANIFEST_TARGET, connection.peer()))
                .join();
        connection.send(systemCall(2, "directory", connection.peer())).join();

        assertThat(manifest)
                .succeedsWithin(Duration.ofSeconds(10))
                .satisfies(m -> assertThat(m.status()).isEqualTo(Message.OK));
        assertThat(directory).succeedsWithin(Duration.ofSeconds(10)).satisfies(m -> {
            assertThat(m.status()).isEqualTo(Message.FAILED);
            assertThat(serializer.deserializeFailure(m.body())).hasMessageContaining("not open to clients");
        });
        assertThat(connection.isOpen()).isTrue();
    }

    /**
     * A client answers calls to its observers only; a response that answers no call the gateway sent over
     * that connection (a late one, or a forged one) is dropped and counted, and completes nothing.
     */
    @Test
    void aClientResponseToNoCallOfItsConnectionIsDroppedAndCounted() {
        SiloConnection connection = connect();
        Silo silo = cluster.silo(0);
        connection
                .send(new Message(
                        Message.Direction.RESPONSE,
                        1,
                        GrainId.ofString("echo", "x"),
                        connection.peer(),
                        null,
                        CLIENT,
                        null,
                        0,
                        0,
                        0,
                        false,
                        Message.OK,
                        new byte[0]))
                .join();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> silo.messagingStatistics().rejected(Rejection.UNMATCHED_RESPONSE) == 1);
        assertThat(connection.isOpen()).isTrue();
        assertThat(connection.ping(Duration.ofSeconds(5)).join()).isPositive();
    }
}
