package org.orleans4j.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;
import org.orleans4j.messaging.internal.Message;
import org.orleans4j.messaging.internal.ReadActivity;
import org.orleans4j.messaging.internal.SiloConnection;
import org.orleans4j.messaging.internal.SiloMessaging;

/** Two silos on loopback exchange requests and responses over one shared connection. */
class SiloMessageExchangeTest {

    private static final ClusterOptions CLUSTER = new ClusterOptions("svc", "blue");

    private SiloMessaging a;
    private SiloMessaging b;
    private SiloAddress addressA;
    private SiloAddress addressB;
    private final ConcurrentHashMap<Long, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @BeforeEach
    void start() throws IOException {
        addressA = new SiloAddress("127.0.0.1", freePort(), 1);
        addressB = new SiloAddress("127.0.0.1", freePort(), 2);
        a = new SiloMessaging(CLUSTER, addressA, MessagingOptions.DEFAULT, 1);
        b = new SiloMessaging(CLUSTER, addressB, MessagingOptions.DEFAULT, 1);
        a.listen("127.0.0.1", addressA.port());
        b.listen("127.0.0.1", addressB.port());
        b.onMessage(this::answer);
        a.onMessage((message, from) -> pending.remove(message.correlationId()).complete(message));
    }

    /** B answers every request, through its connection to the sender. */
    private void answer(Message message, SiloConnection from) {
        if (message.direction() == Message.Direction.REQUEST) {
            byte[] reversed = new StringBuilder(new String(message.body()))
                    .reverse()
                    .toString()
                    .getBytes();
            Message response = new Message(
                    Message.Direction.RESPONSE,
                    message.correlationId(),
                    message.targetGrain(),
                    message.sendingSilo(),
                    null,
                    addressB,
                    null,
                    message.methodId(),
                    0,
                    0,
                    false,
                    Message.OK,
                    reversed);
            from.send(response);
        } else if (message.direction() == Message.Direction.ONE_WAY) {
            throw new IllegalStateException("a handler bug must not close the connection");
        }
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private Message request(long id, String body) {
        return new Message(
                Message.Direction.REQUEST,
                id,
                GrainId.ofString("echo", "x"),
                addressB,
                null,
                addressA,
                "Echo",
                1,
                0,
                0,
                false,
                Message.OK,
                body.getBytes());
    }

    /** Sends 1,000 requests from A to B over one connection and waits for their responses. */
    private List<CompletableFuture<Message>> exchangeThousandCalls() {
        SiloConnection toB = a.connection(addressB).join();
        List<CompletableFuture<Message>> responses = new ArrayList<>();
        for (long id = 1; id <= 1_000; id++) {
            CompletableFuture<Message> response = new CompletableFuture<>();
            pending.put(id, response);
            responses.add(response);
            toB.send(request(id, "call-" + id));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new))
                .orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
                .join();
        return responses;
    }

    @Test
    void responsesGoBackOverTheConnectionTheRequestsCameOn() {
        List<CompletableFuture<Message>> responses = exchangeThousandCalls();
        for (int i = 0; i < responses.size(); i++) {
            assertThat(new String(responses.get(i).join().body()))
                    .isEqualTo(new StringBuilder("call-" + (i + 1)).reverse().toString());
        }
        assertThat(b.stats().accepted()).isEqualTo(1);
        assertThat(a.stats().accepted())
                .as("B replied over A's connection, opening none")
                .isZero();
        assertThat(b.stats().rejected(Rejection.FORGED_SENDER)).isZero();
    }

    @Test
    void everyMessageIsHandedOverWithinAReadThatIsToldToHaveStartedAndEnded() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        AtomicInteger outsideARead = new AtomicInteger();
        b.readActivity(new ReadActivity() {
            @Override
            public void readStarted() {
                started.incrementAndGet();
            }

            @Override
            public void readEnded() {
                ended.incrementAndGet();
            }
        });
        b.onMessage((message, from) -> {
            if (started.get() == ended.get()) {
                outsideARead.incrementAndGet();
            }
            answer(message, from);
        });
        exchangeThousandCalls();

        // A turn scheduler spins while a read is handed over: an end never told would keep it spinning.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(ended.get()).isEqualTo(started.get()));
        assertThat(started.get()).isPositive();
        assertThat(outsideARead.get()).isZero();
    }

    @Test
    void aFailingHandlerKeepsTheConnection() {
        SiloConnection toB = a.connection(addressB).join();
        toB.send(new Message(
                        Message.Direction.ONE_WAY,
                        0,
                        GrainId.ofString("echo", "x"),
                        addressB,
                        null,
                        addressA,
                        "Echo",
                        1,
                        0,
                        0,
                        false,
                        Message.OK,
                        new byte[0]))
                .join();
        CompletableFuture<Message> response = new CompletableFuture<>();
        pending.put(7L, response);
        toB.send(request(7, "still here"));
        await().atMost(Duration.ofSeconds(10)).until(response::isDone);
        assertThat(toB.isOpen()).isTrue();
        assertThat(b.stats().badInput()).isZero();
    }
}
