package org.orleans4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.messaging.internal.Message;
import org.orleans4j.messaging.internal.SiloConnection;
import org.orleans4j.messaging.internal.SiloMessaging;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.metadata.MethodInfo;
import org.orleans4j.runtime.Silo;
import org.orleans4j.serialization.internal.SerializationTypes;
import org.orleans4j.serialization.internal.WireSerializer;
import org.orleans4j.testing.TestCluster;

/**
 * During a rolling upgrade a client's call may reach a gateway of the older build, which lacks the grain
 * type: the gateway relays it, unread, to a silo that hosts the type, and the answer back.
 */
class GatewayRelayTest {

    private static final SiloAddress CLIENT = new SiloAddress("client", 0, 7);

    public interface EchoGrain extends GrainWithStringKey {
        CompletableFuture<String> echo(String text);
    }

    public static class EchoGrainImpl extends GrainBase implements EchoGrain {
        @Override
        public CompletableFuture<String> echo(String text) {
            return CompletableFuture.completedFuture(text);
        }
    }

    /** The grain type only the newer silo has. */
    public interface GiftGrain extends GrainWithStringKey {
        CompletableFuture<String> wrap(String item);
    }

    public static class GiftGrainImpl extends GrainBase implements GiftGrain {
        @Override
        public CompletableFuture<String> wrap(String item) {
            return CompletableFuture.completedFuture("wrapped " + item);
        }
    }

    private TestCluster cluster;
    private SiloMessaging client;
    private final WireSerializer serializer = new WireSerializer(
            new SerializationTypes().scanInterface(GiftGrain.class), MessagingOptions.DEFAULT_MAX_FRAME_BYTES);

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private Message giftCall(long id, String key) throws NoSuchMethodException {
        return new Message(
                Message.Direction.REQUEST,
                id,
                GrainId.ofString(GrainClassMetadata.typeNameOf(GiftGrainImpl.class), key),
                null,
                null,
                CLIENT,
                GiftGrain.class.getName(),
                MethodInfo.idOf(GiftGrain.class.getMethod("wrap", String.class)),
                0,
                0,
                false,
                Message.OK,
                serializer.serializeCall(new Object[] {"a book"}, null));
    }

    /** A raw client connection to the gateway of silo {@code index}, whose answers complete {@code answer}. */
    private SiloConnection connectTo(int index, CompletableFuture<Message> answer) {
        Silo gateway = cluster.silo(index);
        client = SiloMessaging.forClient(gateway.clusterOptions(), CLIENT, MessagingOptions.DEFAULT, 1, "raw-client");
        client.onMessage((message, from) -> answer.complete(message));
        return client.connect("127.0.0.1", gateway.gatewayPort()).join();
    }

    @Test
    void aGatewayWithoutTheGrainTypeRelaysTheCallToASiloThatHostsIt() throws Exception {
        cluster = TestCluster.builder()
                .silos(1)
                .gateways()
                .configure(b -> b.addGrainClass(EchoGrainImpl.class))
                .start();
        Silo newer = cluster.startSilo(b -> b.addGrainClass(GiftGrainImpl.class));
        cluster.awaitActiveSilos(2, Duration.ofSeconds(30));
        assertThat(cluster.silo(0).grainTypes().hasType(GrainClassMetadata.typeNameOf(GiftGrainImpl.class)))
                .isFalse();

        CompletableFuture<Message> answer = new CompletableFuture<>();
        connectTo(0, answer).send(giftCall(11, "g1")).join();

        assertThat(answer).succeedsWithin(Duration.ofSeconds(10)).satisfies(message -> {
            assertThat(message.status()).isEqualTo(Message.OK);
            assertThat(message.correlationId()).isEqualTo(11);
            assertThat(serializer.deserialize(message.body())).isEqualTo("wrapped a book");
        });
        GrainId gift = GrainId.ofString(GrainClassMetadata.typeNameOf(GiftGrainImpl.class), "g1");
        assertThat(newer.diagnostics().hasActivation(gift)).isTrue();
    }

    @Test
    void withNoSiloHostingTheTypeTheGatewaySaysSo() throws Exception {
        cluster = TestCluster.builder()
                .silos(2)
                .gateways()
                .configure(b -> b.addGrainClass(EchoGrainImpl.class))
                .start();
        CompletableFuture<Message> answer = new CompletableFuture<>();
        connectTo(0, answer).send(giftCall(12, "g2")).join();

        assertThat(answer).succeedsWithin(Duration.ofSeconds(10)).satisfies(message -> {
            assertThat(message.status()).isEqualTo(Message.FAILED);
            assertThat(serializer.deserializeFailure(message.body()))
                    .hasMessageContaining("No Active silo hosts grain type '"
                            + GrainClassMetadata.typeNameOf(GiftGrainImpl.class) + "'")
                    .hasMessageContaining(GiftGrain.class.getName());
        });
    }
}
