package org.orleans4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.RequestContext;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.messaging.Rejection;
import org.orleans4j.messaging.internal.Message;
import org.orleans4j.messaging.internal.SiloMessaging;
import org.orleans4j.metadata.MethodInfo;
import org.orleans4j.placement.PlacementHint;
import org.orleans4j.runtime.MessagingStatistics;
import org.orleans4j.runtime.Silo;
import org.orleans4j.serialization.internal.SerializationTypes;
import org.orleans4j.serialization.internal.WireSerializer;
import org.orleans4j.testing.TestCluster;

/** Each silo counts the messages it sends and receives and what it turns away. */
class MessagingStatisticsTest {

    interface EchoGrain extends GrainWithStringKey {
        CompletableFuture<String> echo(String text);
    }

    public static class EchoGrainImpl extends GrainBase implements EchoGrain {
        /** Completed by the test: until then the silo's shutdown waits on this grain's deactivation. */
        static volatile CompletableFuture<Void> deactivation = CompletableFuture.completedFuture(null);

        @Override
        public CompletableFuture<String> echo(String text) {
            return CompletableFuture.completedFuture(text);
        }

        @Override
        public CompletableFuture<Void> onDeactivate(DeactivationReason reason) {
            return deactivation;
        }
    }

    private TestCluster cluster;
    private SiloMessaging stranger;
    /** Writes and reads the echo calls of a process that is no member. */
    private final WireSerializer serializer = new WireSerializer(
            new SerializationTypes().scanInterface(EchoGrain.class), MessagingOptions.DEFAULT_MAX_FRAME_BYTES);

    @AfterEach
    void stop() {
        EchoGrainImpl.deactivation.complete(null);
        if (stranger != null) {
            stranger.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private TestCluster start(int silos) {
        cluster = TestCluster.builder()
                .silos(silos)
                .configure(b -> b.addGrainClass(EchoGrainImpl.class))
                .start();
        return cluster;
    }

    @Test
    void callsToAnotherSiloAreCountedAsSentAndReceivedOnBothSides() {
        start(2);
        Silo caller = cluster.silo(0);
        Silo callee = cluster.silo(1);
        // Membership, directory and statistics traffic counts too: compare with counts taken before the calls.
        long sentBefore = caller.messagingStatistics().messagesSent();
        long receivedBefore = callee.messagingStatistics().messagesReceived();
        long answersBefore = caller.messagingStatistics().messagesReceived();
        RequestContext.set(PlacementHint.REQUEST_CONTEXT_KEY, callee.address());
        List<CompletableFuture<String>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                calls.add(
                        caller.grainFactory().getGrain(EchoGrain.class, "e" + i).echo("x"));
            }
        } finally {
            RequestContext.remove(PlacementHint.REQUEST_CONTEXT_KEY);
        }
        calls.forEach(CompletableFuture::join);
        assertThat(callee.catalog().activationCount()).isEqualTo(50);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(caller.messagingStatistics().messagesSent()).isGreaterThanOrEqualTo(sentBefore + 50);
            assertThat(callee.messagingStatistics().messagesReceived()).isGreaterThanOrEqualTo(receivedBefore + 50);
            assertThat(caller.messagingStatistics().messagesReceived()).isGreaterThanOrEqualTo(answersBefore + 50);
        });
        for (Rejection reason : Rejection.values()) {
            assertThat(callee.messagingStatistics().rejected(reason))
                    .as(reason.name())
                    .isZero();
        }
    }

    @Test
    void aHandshakeFromAnotherClusterIsCountedAsRejected() {
        Silo silo = start(1).silo(0);
        stranger = new SiloMessaging(
                new ClusterOptions(silo.clusterOptions().serviceId(), "another-cluster"),
                new SiloAddress("127.0.0.1", 1, 1),
                MessagingOptions.DEFAULT,
                1);

        // The silo answers with the reason only, then closes: the stranger says what it presented, and learns no ids.
        assertThatThrownBy(() -> stranger.connection(silo.address()).join())
                .hasMessageContaining("does not belong to service '"
                        + silo.clusterOptions().serviceId() + "' cluster 'another-cluster'")
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain(silo.clusterOptions().clusterId()));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> silo.messagingStatistics().rejected(Rejection.HANDSHAKE_MISMATCH) == 1);
        assertThat(silo.messagingStatistics().acceptedConnections()).isZero();
    }

    @Test
    void aRequestReachingAStoppingSiloIsSentBackAndCounted() {
        Silo silo = start(1).silo(0);
        // An activation whose deactivation hangs keeps the silo ShuttingDown, and listening, until the test is done.
        EchoGrainImpl.deactivation = new CompletableFuture<>();
        silo.grainFactory().getGrain(EchoGrain.class, "holding").echo("x").join();
        CompletableFuture.runAsync(() -> silo.stop(Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(5)).until(() -> silo.status() == SiloStatus.SHUTTING_DOWN);

        // Another member of the cluster asks it for a grain it does not host.
        String type = silo.grainTypes().implementationOf(EchoGrain.class).typeName();
        CompletableFuture<Message> answer = echoFromAStranger(silo, 42, GrainId.ofString(type, "elsewhere"), 0);

        assertThat(answer).succeedsWithin(Duration.ofSeconds(10)).satisfies(message -> {
            assertThat(message.status()).isEqualTo(Message.FAILED);
            assertThat(serializer.deserializeFailure(message.body())).hasMessageContaining("shutting down");
        });
        MessagingStatistics statistics = silo.messagingStatistics();
        assertThat(statistics.rejected(Rejection.SILO_STOPPING)).isEqualTo(1);
        assertThat(statistics.messagesReceived()).isPositive();
    }

    /**
     * A caller of a newer build uses a later version of the interface than this silo has: the call is sent back
     * unrun for the caller to retry, and the activation here deactivates so that the grain moves to a newer silo.
     */
    @Test
    void aCallThroughALaterInterfaceVersionIsSentBackAndTheActivationDeactivates() {
        Silo silo = start(1).silo(0);
        silo.grainFactory().getGrain(EchoGrain.class, "moving").echo("x").join();
        String type = silo.grainTypes().implementationOf(EchoGrain.class).typeName();
        GrainId moving = GrainId.ofString(type, "moving");
        assertThat(silo.diagnostics().hasActivation(moving)).isTrue();

        CompletableFuture<Message> answer = echoFromAStranger(silo, 43, moving, 3);

        assertThat(answer).succeedsWithin(Duration.ofSeconds(10)).satisfies(message -> {
            assertThat(message.status()).isEqualTo(Message.FAILED);
            assertThat(message.invalidateCache())
                    .as("the caller drops its cached address")
                    .isTrue();
            assertThat(serializer.deserializeFailure(message.body()))
                    .isInstanceOf(CallNotDeliveredException.class)
                    .hasMessageContaining("has version 0 of " + EchoGrain.class.getName() + ", the caller 3");
        });
        assertThat(silo.messagingStatistics().rejected(Rejection.INCOMPATIBLE_VERSION))
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !silo.diagnostics().hasActivation(moving));
    }

    /**
     * An echo call to {@code grain} through version {@code interfaceVersion} of its interface, from a silo
     * connection of a process that is no member; the answer.
     */
    private CompletableFuture<Message> echoFromAStranger(Silo silo, long id, GrainId grain, int interfaceVersion) {
        SiloAddress self = new SiloAddress("127.0.0.1", 1, 2);
        stranger = new SiloMessaging(silo.clusterOptions(), self, MessagingOptions.DEFAULT, 1);
        CompletableFuture<Message> answer = new CompletableFuture<>();
        stranger.onMessage((message, from) -> {
            if (message.direction() == Message.Direction.RESPONSE && message.correlationId() == id) {
                answer.complete(message);
            }
        });
        Message request = new Message(
                Message.Direction.REQUEST,
                id,
                grain,
                silo.address(),
                null,
                self,
                EchoGrain.class.getName(),
                MethodInfo.idOf(echoMethod()),
                0,
                0,
                false,
                Message.OK,
                serializer.serializeCall(new Object[] {"x"}, null),
                interfaceVersion);
        stranger.connection(silo.address()).join().send(request).join();
        return answer;
    }

    private static java.lang.reflect.Method echoMethod() {
        try {
            return EchoGrain.class.getMethod("echo", String.class);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSiloOnItsOwnCountsNothing() {
        try (Silo silo = Silo.builder().addGrainClass(EchoGrainImpl.class).build()) {
            silo.start();
            assertThat(silo.grainFactory()
                            .getGrain(EchoGrain.class, "alone")
                            .echo("x")
                            .join())
                    .isEqualTo("x");
            MessagingStatistics statistics = silo.messagingStatistics();
            assertThat(statistics.messagesSent()).isZero();
            assertThat(statistics.messagesReceived()).isZero();
            assertThat(statistics.acceptedConnections()).isZero();
            for (Rejection reason : Rejection.values()) {
                assertThat(statistics.rejected(reason)).isZero();
            }
        }
    }
}
