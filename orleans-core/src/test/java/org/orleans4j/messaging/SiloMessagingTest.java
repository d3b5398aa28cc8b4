package org.orleans4j.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.messaging.internal.Handshake;
import org.orleans4j.messaging.internal.HandshakeMismatchException;
import org.orleans4j.messaging.internal.Message;
import org.orleans4j.messaging.internal.Messages;
import org.orleans4j.messaging.internal.ProtocolException;
import org.orleans4j.messaging.internal.SiloConnection;
import org.orleans4j.messaging.internal.SiloMessaging;

/**
 * Real TCP on 127.0.0.1: silos of one cluster connect and ping; bad input closes only the
 * offending connection, is counted, and the silo keeps serving.
 */
class SiloMessagingTest {

    private static final ClusterOptions CLUSTER = new ClusterOptions("svc", "blue");
    private static final MessagingOptions OPTIONS =
            new MessagingOptions(Duration.ofSeconds(30), 64 * 1024, Duration.ofMillis(500));

    private SiloMessaging server;
    private SiloMessaging client;
    private int port;

    @BeforeEach
    void start() {
        server = new SiloMessaging(CLUSTER, new SiloAddress("127.0.0.1", 0, 1), OPTIONS, 1);
        port = server.listen("127.0.0.1", 0);
        server.setLocalSilo(serverAddress());
        client = new SiloMessaging(CLUSTER, new SiloAddress("127.0.0.1", 1, 2), OPTIONS, 1);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private SiloAddress serverAddress() {
        return new SiloAddress("127.0.0.1", port, 1);
    }

    private void assertServerStillServes() {
        try (SiloMessaging another = new SiloMessaging(CLUSTER, new SiloAddress("127.0.0.1", 3, 5), OPTIONS, 1)) {
            SiloConnection fresh = another.connection(serverAddress()).join();
            assertThat(fresh.ping(Duration.ofSeconds(5)).join()).isPositive();
        }
    }

    /** Reads until the server closes the socket (-1); fails the test if it stays open. */
    private static void assertClosedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (in.read(buffer) >= 0) {
            // drain whatever the server sent before closing
        }
    }

    @Test
    void silosOfOneClusterHandshakeReuseTheConnectionAndPing() {
        SiloConnection connection = client.connection(serverAddress()).join();
        assertThat(connection.peer()).isEqualTo(serverAddress());
        assertThat(client.connection(serverAddress()).join()).isSameAs(connection);
        for (int i = 0; i < 100; i++) {
            assertThat(connection.ping(Duration.ofSeconds(5)).join()).isPositive();
        }
        assertThat(server.stats().accepted()).isEqualTo(1);
        assertThat(server.stats().badInput()).isZero();
    }

    @Test
    void randomBytesCloseThatConnectionOnly() throws IOException {
        SiloConnection good = client.connection(serverAddress()).join();
        Random random = new Random(42);
        for (int attempt = 0; attempt < 5; attempt++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                byte[] garbage = new byte[2048];
                random.nextBytes(garbage);
                socket.getOutputStream().write(garbage);
                assertClosedByServer(socket);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().badInput() == 5);
        assertThat(good.isOpen()).isTrue();
        assertThat(good.ping(Duration.ofSeconds(5)).join()).isPositive();
        assertServerStillServes();
    }

    @Test
    void anOversizedFrameClosesTheConnectionAndIsCounted() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(OPTIONS.maxFrameBytes() + 1);
            out.write(new byte[1024]);
            out.flush();
            assertClosedByServer(socket);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().oversizedFrames() == 1);
        assertServerStillServes();
    }

    @Test
    void aHandshakeFromAnotherClusterIsRejected() {
        try (SiloMessaging stranger =
                new SiloMessaging(new ClusterOptions("svc", "green"), new SiloAddress("127.0.0.1", 2, 3), OPTIONS, 1)) {
            assertThatThrownBy(() -> stranger.connection(serverAddress()).join())
                    .hasRootCauseInstanceOf(HandshakeMismatchException.class)
                    .hasMessageContaining("does not belong to service 'svc' cluster 'green'")
                    .satisfies(e -> assertThat(e.getMessage())
                            .as("the silo's own ids are not disclosed")
                            .doesNotContain("blue"));
        }
        try (SiloMessaging otherService = new SiloMessaging(
                new ClusterOptions("other", "blue"), new SiloAddress("127.0.0.1", 2, 4), OPTIONS, 1)) {
            assertThatThrownBy(() -> otherService.connection(serverAddress()).join())
                    .hasRootCauseInstanceOf(ProtocolException.class);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().rejectedHandshakes() == 2);
        assertThat(server.stats().accepted()).isZero();
        assertServerStillServes();
    }

    @Test
    void aConnectionThatNeverHandshakesIsClosedAfterTheTimeout() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            assertClosedByServer(socket);
        }
        assertThat(server.stats().handshakeTimeouts()).isEqualTo(1);
        assertServerStillServes();
    }

    @Test
    void aPeerOfAReleaseTooOldIsRefusedWithTheVersionsThisSideSpeaks() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            // A protocol-3 handshake: one version, then the role; the server can read no further.
            out.writeInt(7);
            out.writeInt(0x4F524C4A);
            out.writeShort(3);
            out.writeByte(Handshake.Role.SILO.ordinal());
            out.flush();
            socket.setSoTimeout(5_000);
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            int length = in.readInt();
            assertThat(length).isEqualTo(10);
            assertThat(in.readInt()).isEqualTo(0x4F524C4A);
            assertThat(in.readUnsignedShort()).as("highest version").isEqualTo(Handshake.PROTOCOL_VERSION);
            assertThat(in.readUnsignedShort()).as("lowest version").isEqualTo(Handshake.MIN_PROTOCOL_VERSION);
            assertThat(in.readUnsignedByte()).as("a refusal").isEqualTo(0xFF);
            assertThat(in.readUnsignedByte()).isEqualTo(Handshake.Refusal.UNSUPPORTED_VERSION.ordinal());
            assertClosedByServer(socket);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().rejectedHandshakes() == 1);
        assertThat(server.stats().accepted()).isZero();
        assertServerStillServes();
    }

    @Test
    void aMalformedFrameAfterTheHandshakeIsCounted() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            io.netty.buffer.ByteBuf handshake = io.netty.buffer.Unpooled.buffer();
            new Handshake(
                            Handshake.PROTOCOL_VERSION,
                            "svc",
                            "blue",
                            new SiloAddress("127.0.0.1", 9, 9),
                            Handshake.Role.SILO,
                            serverAddress())
                    .writeTo(handshake);
            out.writeInt(handshake.readableBytes());
            out.write(handshake.array(), handshake.arrayOffset(), handshake.readableBytes());
            out.writeInt(3);
            out.write(new byte[] {99, 1, 2}); // unknown frame type
            out.flush();
            assertClosedByServer(socket);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().malformedFrames() == 1);
        assertThat(server.stats().accepted()).isEqualTo(1);
        assertServerStillServes();
    }

    @Test
    void theGatewayPortTakesClientsOnlyAndTheSiloPortSilosOnly() {
        int gatewayPort = server.listenGateway("127.0.0.1", 0);
        assertThat(server.gatewayPort()).isEqualTo(gatewayPort);
        try (SiloMessaging clientSide =
                SiloMessaging.forClient(CLUSTER, new SiloAddress("client", 0, 77), OPTIONS, 1, "test-client")) {
            SiloConnection toGateway =
                    clientSide.connect("127.0.0.1", gatewayPort).join();
            assertThat(toGateway.peer()).isEqualTo(serverAddress());
            assertThat(toGateway.ping(Duration.ofSeconds(5)).join()).isPositive();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connectedClients() == 1);
            assertThat(server.stats().clientsAccepted()).isEqualTo(1);
            assertThat(server.stats().accepted())
                    .as("clients are not silo connections")
                    .isZero();

            // A client on the silo port, a silo on the gateway port: each refused with the reason.
            assertThatThrownBy(() -> clientSide.connect("127.0.0.1", port).join())
                    .hasRootCauseInstanceOf(HandshakeMismatchException.class)
                    .hasMessageContaining("not as a gateway");
            assertThatThrownBy(() -> client.connection(new SiloAddress("127.0.0.1", gatewayPort, 1))
                            .join())
                    .hasRootCauseInstanceOf(HandshakeMismatchException.class)
                    .hasMessageContaining("answered as the gateway");
            await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().rejectedHandshakes() == 2);

            // Closing the client's connection releases it on the gateway.
            toGateway.close().join();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connectedClients() == 0);
        }
        assertServerStillServes();
    }

    @Test
    void aStoppingGatewayTellsItsClientsToGoElsewhereButKeepsTheirConnections() {
        int gatewayPort = server.listenGateway("127.0.0.1", 0);
        try (SiloMessaging clientSide =
                SiloMessaging.forClient(CLUSTER, new SiloAddress("client", 0, 78), OPTIONS, 1, "test-client")) {
            SiloConnection toGateway =
                    clientSide.connect("127.0.0.1", gatewayPort).join();
            java.util.concurrent.CountDownLatch goingAway = new java.util.concurrent.CountDownLatch(1);
            toGateway.onGoingAway(goingAway::countDown);

            server.stopGateway();
            await().atMost(Duration.ofSeconds(5)).until(() -> goingAway.getCount() == 0);
            assertThat(server.gatewayPort()).isZero();
            assertThat(toGateway.isOpen()).isTrue();
            assertThat(toGateway.ping(Duration.ofSeconds(5)).join())
                    .as("still answered")
                    .isPositive();
            assertThatThrownBy(
                            () -> clientSide.connect("127.0.0.1", gatewayPort).join())
                    .as("no new clients")
                    .hasCauseInstanceOf(org.orleans4j.grain.SiloUnavailableException.class);
        }
    }

    /**
     * The race of a stopping silo: a peer writes calls until it learns of the stop. With a graceful
     * close every call is either answered or provably never written (it fails as not delivered, so its
     * caller may send it elsewhere); none is lost on the wire with an unknown outcome.
     */
    @Test
    void aGracefulCloseAnswersEveryCallThePeerWroteBeforeItLearntOfTheClose() throws Exception {
        SiloAddress clientAddress = new SiloAddress("127.0.0.1", 1, 2);
        ExecutorService responder = Executors.newSingleThreadExecutor();
        server.onMessage((message, from) -> {
            if (message.direction() == Message.Direction.REQUEST && from.tryAcceptRequest(10_000)) {
                // Answered on another thread, as a grain call is.
                responder.execute(() -> {
                    from.post(
                            Messages.response(message, from.peer(), serverAddress(), false, Message.OK, new byte[0]),
                            failure -> {});
                    from.requestDone();
                });
            }
        });
        Set<Long> answered = ConcurrentHashMap.newKeySet();
        Set<Long> notSent = ConcurrentHashMap.newKeySet();
        Set<Long> lost = ConcurrentHashMap.newKeySet();
        Semaphore window = new Semaphore(200);
        client.onMessage((message, from) -> {
            if (message.direction() == Message.Direction.RESPONSE && answered.add(message.correlationId())) {
                window.release();
            }
        });
        SiloConnection connection = client.connection(serverAddress()).join();
        AtomicLong sent = new AtomicLong();
        Thread sender = Thread.ofPlatform().start(() -> {
            try {
                while (connection.isOpen() && window.tryAcquire(5, TimeUnit.SECONDS)) {
                    long id = sent.incrementAndGet();
                    connection.post(
                            Messages.systemCall(id, "echo", serverAddress(), clientAddress, 1, 0, new byte[0]),
                            failure -> {
                                (failure instanceof CallNotDeliveredException ? notSent : lost).add(id);
                                window.release();
                            });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> answered.size() >= 2_000);

            server.close(Duration.ofSeconds(5));

            await().atMost(Duration.ofSeconds(10)).until(() -> !connection.isOpen());
            sender.join(Duration.ofSeconds(10));
            assertThat(sender.isAlive()).isFalse();
            // A response written just before the close may still be on its way through the client's event loop.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Set<Long> unanswered = new TreeSet<>();
                for (long id = 1; id <= sent.get(); id++) {
                    if (!answered.contains(id) && !notSent.contains(id)) {
                        unanswered.add(id);
                    }
                }
                assertThat(unanswered)
                        .as("calls neither answered nor refused before they were written")
                        .isEmpty();
            });
            assertThat(lost).isEmpty();
        } finally {
            responder.shutdownNow();
        }
    }

    @Test
    void connectingToNothingFailsAsSiloUnavailable() throws IOException {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        assertThatThrownBy(() -> client.connection(new SiloAddress("127.0.0.1", closedPort, 1))
                        .join())
                .hasCauseInstanceOf(org.orleans4j.grain.SiloUnavailableException.class);
    }
}
