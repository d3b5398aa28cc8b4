package org.orleans4j.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.directory.internal.RemoteGrainDirectory;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.membership.RemoteMembership;
import org.orleans4j.membership.RemoteProber;
import org.orleans4j.messaging.internal.FieldDictionary;
import org.orleans4j.messaging.internal.Handshake;
import org.orleans4j.messaging.internal.Message;
import org.orleans4j.messaging.internal.MessageCodec;
import org.orleans4j.messaging.internal.SiloConnection;
import org.orleans4j.metadata.MethodInfo;
import org.orleans4j.runtime.RemoteStatistics;
import org.orleans4j.runtime.Silo;
import org.orleans4j.serialization.internal.SerializationTypes;
import org.orleans4j.serialization.internal.WireSerializer;
import org.orleans4j.testing.TestCluster;

/**
 * A peer that reaches the ports and speaks our framing with hostile intent, by hand over a raw socket:
 * each abuse is turned away and counted, and the silo then serves a grain call as before. Timeouts and
 * limits are shortened (idle 1.5 s, frame 1 s, 20 connections per address) so the test waits seconds,
 * not the defaults' minutes; everything else runs with the defaults.
 */
class ProtocolAbuseTest {

    /** A grain to show the silo still serves. */
    public interface EchoGrain extends GrainWithStringKey {
        CompletableFuture<String> echo(String text);
    }

    public static class EchoGrainImpl extends GrainBase implements EchoGrain {
        @Override
        public CompletableFuture<String> echo(String text) {
            return CompletableFuture.completedFuture(text);
        }
    }

    private static final MessagingOptions OPTIONS = MessagingOptions.DEFAULT.withConnectionLimits(
            Duration.ofMillis(1500),
            Duration.ofSeconds(1),
            MessagingOptions.DEFAULT_MAX_INFLIGHT_REQUESTS,
            MessagingOptions.DEFAULT_MAX_PENDING_WRITE_BYTES,
            1000,
            20);
    private static final WireSerializer SERIALIZER = new WireSerializer(
            new SerializationTypes(), MessagingOptions.DEFAULT_MAX_FRAME_BYTES, 10_000, Integer.MAX_VALUE);

    private static TestCluster cluster;
    private static Silo silo;

    @BeforeAll
    static void start() {
        cluster = TestCluster.builder()
                .silos(1)
                .gateways()
                .configure(b -> b.addGrainClass(EchoGrainImpl.class).messagingOptions(OPTIONS))
                .start();
        silo = cluster.silo(0);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    // ---- a raw peer ---------------------------------------------------------------------------------

    /** A socket that speaks the framing by hand. */
    private static final class RawPeer implements AutoCloseable {
        final Socket socket;
        final DataOutputStream out;
        final DataInputStream in;
        final SiloAddress self;
        /** The fields this peer has sent, and those the silo has sent it, by number (protocol version 5). */
        final FieldDictionary.Writer sentFields = new FieldDictionary.Writer();

        final FieldDictionary.Reader receivedFields = new FieldDictionary.Reader();
        /** Whether the connection speaks version 4: every field as text, no numbers. */
        boolean textOnly;
        /** Whether the connection speaks version 6 or later: responses are written short. */
        boolean shortResponses = true;

        RawPeer(int port, SiloAddress self) throws IOException {
            this.socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            this.out = new DataOutputStream(socket.getOutputStream());
            this.in = new DataInputStream(socket.getInputStream());
            this.self = self;
        }

        /** Handshakes as a silo naming {@code target}; returns the answer's bytes. */
        byte[] handshakeAsSilo(String serviceId, String clusterId, SiloAddress target) throws IOException {
            ByteBuf frame = Unpooled.buffer();
            new Handshake(Handshake.PROTOCOL_VERSION, serviceId, clusterId, self, Handshake.Role.SILO, target)
                    .writeTo(frame);
            send(frame);
            return readFrame();
        }

        byte[] handshakeAsClient() throws IOException {
            return handshakeAsClient(Handshake.MIN_PROTOCOL_VERSION, Handshake.PROTOCOL_VERSION);
        }

        /** Handshakes as a client that speaks protocol versions {@code min} to {@code max}. */
        byte[] handshakeAsClient(int min, int max) throws IOException {
            textOnly = max < 5;
            shortResponses = max >= 6;
            ByteBuf frame = Unpooled.buffer();
            new Handshake(
                            max,
                            silo.clusterOptions().serviceId(),
                            silo.clusterOptions().clusterId(),
                            self,
                            Handshake.Role.CLIENT,
                            null,
                            min)
                    .writeTo(frame);
            send(frame);
            return readFrame();
        }

        void send(ByteBuf content) throws IOException {
            out.writeInt(content.readableBytes());
            out.write(content.array(), content.arrayOffset() + content.readerIndex(), content.readableBytes());
            out.flush();
        }

        void sendMessage(Message message) throws IOException {
            ByteBuf frame = Unpooled.buffer();
            frame.writeByte(SiloConnection.MESSAGE);
            MessageCodec.encode(message, frame, textOnly ? null : sentFields, shortResponses);
            send(frame);
        }

        byte[] readFrame() throws IOException {
            int length = in.readInt();
            byte[] frame = new byte[length];
            in.readFully(frame);
            return frame;
        }

        /** Reads frames until a message with {@code correlationId} arrives. */
        Message readResponse(long correlationId) throws IOException {
            while (true) {
                byte[] frame = readFrame();
                if (frame[0] == SiloConnection.MESSAGE) {
                    Message message = MessageCodec.decode(
                            Unpooled.wrappedBuffer(frame, 1, frame.length - 1),
                            textOnly ? null : receivedFields,
                            shortResponses);
                    if (message.correlationId() == correlationId) {
                        return message;
                    }
                }
            }
        }

        /** Whether the silo closed the socket (reads until end of stream). */
        boolean closedBySilo() {
            try {
                InputStream stream = socket.getInputStream();
                byte[] buffer = new byte[8192];
                while (stream.read(buffer) >= 0) {
                    // drain what was sent before the close
                }
                return true;
            } catch (SocketException reset) {
                return true;
            } catch (IOException timeout) {
                return false;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static SiloAddress stranger(int n) {
        return new SiloAddress("127.0.0.1", 40_000 + n, 7);
    }

    private static RawPeer siloPeer(int n) throws IOException {
        RawPeer peer = new RawPeer(silo.address().port(), stranger(n));
        peer.handshakeAsSilo(
                silo.clusterOptions().serviceId(), silo.clusterOptions().clusterId(), silo.address());
        return peer;
    }

    private static RawPeer clientPeer(int n) throws IOException {
        RawPeer peer = new RawPeer(silo.gatewayPort(), new SiloAddress("client", 0, 100 + n));
        peer.handshakeAsClient();
        return peer;
    }

    private static long rejected(Rejection reason) {
        return silo.messagingStatistics().rejected(reason);
    }

    /** The silo answers a grain call; prints how long it took. */
    private static void assertServes(String what) {
        long start = System.nanoTime();
        CompletableFuture<String> answer =
                silo.grainFactory().getGrain(EchoGrain.class, what).echo(what);
        assertThat(answer).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(what);
        System.out.printf(
                "ABUSE %s: grain call answered in %.2f ms; heap used %d MB%n",
                what, (System.nanoTime() - start) / 1e6, usedHeapMb());
    }

    private static long usedHeapMb() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
    }

    private static Message systemRequest(SiloAddress from, long id, String target, int operation, Object... args) {
        return new Message(
                Message.Direction.REQUEST,
                id,
                GrainId.ofString(Message.SYSTEM_GRAIN_TYPE, target),
                silo.address(),
                null,
                from,
                null,
                operation,
                0,
                0,
                false,
                Message.OK,
                SERIALIZER.serializeArgs(args));
    }

    /** The wire id of a system target's method. */
    private static int operation(Class<?> target, String method) {
        for (java.lang.reflect.Method m : target.getMethods()) {
            if (m.getName().equals(method)) {
                return MethodInfo.idOf(m);
            }
        }
        throw new IllegalArgumentException(target + " has no method " + method);
    }

    private static Message systemNotice(SiloAddress from, String target, int operation, Object... args) {
        return new Message(
                Message.Direction.ONE_WAY,
                0,
                GrainId.ofString(Message.SYSTEM_GRAIN_TYPE, target),
                silo.address(),
                null,
                from,
                null,
                operation,
                0,
                0,
                false,
                Message.OK,
                SERIALIZER.serializeArgs(args));
    }

    // ---- the abuses -----------------------------------------------------------------------------------

    @Test
    void aHandshakeWithWrongIdsGetsTheReasonButNoIdsBack() throws IOException {
        long before = rejected(Rejection.HANDSHAKE_MISMATCH);
        try (RawPeer peer = new RawPeer(silo.address().port(), stranger(1))) {
            byte[] answer = peer.handshakeAsSilo("guess", "guess", silo.address());
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            assertThat(answer).hasSize(10); // magic, highest and lowest version, "refused", reason
            assertThat(text)
                    .doesNotContain(silo.clusterOptions().serviceId())
                    .doesNotContain(silo.clusterOptions().clusterId())
                    .doesNotContain(silo.address().toString());
            assertThat(peer.closedBySilo()).isTrue();
        }
        assertThat(rejected(Rejection.HANDSHAKE_MISMATCH)).isEqualTo(before + 1);
        assertServes("wrong-ids");
    }

    @Test
    void aMessageWithAForgedSendingSiloClosesTheConnection() throws IOException {
        long before = rejected(Rejection.FORGED_SENDER);
        try (RawPeer peer = siloPeer(2)) {
            peer.sendMessage(systemRequest(stranger(99), 5, "manifest", 0));
            assertThat(peer.closedBySilo()).isTrue();
        }
        assertThat(rejected(Rejection.FORGED_SENDER)).isEqualTo(before + 1);
        assertServes("forged-sender");
    }

    @Test
    void aForgedResponseCompletesNothingAndIsCounted() throws IOException {
        long before = rejected(Rejection.UNMATCHED_RESPONSE);
        try (RawPeer peer = siloPeer(3)) {
            for (long id = 1; id <= 100; id++) {
                peer.sendMessage(new Message(
                        Message.Direction.RESPONSE,
                        id,
                        GrainId.ofString("echo", "x"),
                        silo.address(),
                        null,
                        peer.self,
                        null,
                        0,
                        0,
                        0,
                        false,
                        Message.OK,
                        SERIALIZER.serialize("forged")));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> rejected(Rejection.UNMATCHED_RESPONSE) == before + 100);
        }
        assertServes("forged-response");
    }

    @Test
    void aDirectoryRegistrationFromANonMemberOrNamingAnotherSiloIsRefused() throws IOException {
        long before = rejected(Rejection.UNAUTHORIZED_REQUEST);
        GrainId grain = GrainId.ofString(
                silo.grainTypes().implementationOf(EchoGrain.class).typeName(), "hijacked");
        try (RawPeer peer = siloPeer(4)) {
            // Naming a fake silo, and naming itself: the peer is no member, so neither may land.
            for (SiloAddress named : List.of(stranger(98), peer.self)) {
                long id = named.port();
                peer.sendMessage(systemRequest(
                        peer.self,
                        id,
                        "directory",
                        operation(RemoteGrainDirectory.class, "register"),
                        new GrainAddress(grain, named, "x"),
                        null,
                        0L,
                        0));
                Message answer = peer.readResponse(id);
                assertThat(answer.status()).isEqualTo(Message.FAILED);
                assertThat(SERIALIZER.deserializeFailure(answer.body())).hasMessageContaining("not a live member");
            }
        }
        assertThat(rejected(Rejection.UNAUTHORIZED_REQUEST)).isEqualTo(before + 2);
        assertThat(silo.grainDirectory().lookup(grain).join()).isNull();
        assertServes("hijacked");
    }

    @Test
    void anIndirectProbeRequestFromANonMemberSiloOrAClientIsRefused() throws IOException {
        long before = rejected(Rejection.UNAUTHORIZED_REQUEST);
        try (RawPeer peer = siloPeer(7)) {
            peer.sendMessage(
                    systemRequest(peer.self, 71, "probe", operation(RemoteProber.class, "probe"), silo.address()));
            Message answer = peer.readResponse(71);
            assertThat(answer.status()).isEqualTo(Message.FAILED);
            assertThat(SERIALIZER.deserializeFailure(answer.body())).hasMessageContaining("not an Active member");
        }
        try (RawPeer client = clientPeer(7)) {
            client.sendMessage(
                    systemRequest(client.self, 72, "probe", operation(RemoteProber.class, "probe"), silo.address()));
            Message answer = client.readResponse(72);
            assertThat(answer.status()).isEqualTo(Message.FAILED);
            assertThat(SERIALIZER.deserializeFailure(answer.body())).hasMessageContaining("not open to clients");
        }
        assertThat(rejected(Rejection.UNAUTHORIZED_REQUEST)).isEqualTo(before + 2);
        assertServes("indirect-probe");
    }

    @Test
    void statisticsFromANonMemberAreIgnored() throws IOException {
        long before = rejected(Rejection.UNAUTHORIZED_REQUEST);
        try (RawPeer peer = siloPeer(5)) {
            for (int i = 0; i < 50; i++) {
                peer.sendMessage(systemNotice(
                        peer.self,
                        "statistics",
                        operation(RemoteStatistics.class, "publish"),
                        Integer.MAX_VALUE,
                        Map.of()));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> rejected(Rejection.UNAUTHORIZED_REQUEST) == before + 50);
        }
        assertThat(silo.clusterStatistics().silos()).containsOnlyKeys(silo.address());
        assertThat(silo.clusterStatistics().totalActivations()).isLessThan(1000);
        assertServes("statistics");
    }

    @Test
    void aFloodOfMembershipNoticesIsCoalescedAndTheSiloServesOn() throws IOException {
        try (RawPeer peer = siloPeer(6)) {
            for (int i = 0; i < 5_000; i++) {
                peer.sendMessage(
                        systemNotice(peer.self, "membership", operation(RemoteMembership.class, "tableChanged")));
            }
            assertServes("notices");
        }
    }

    @Test
    void aClientOfProtocolVersion4IsAnsweredInTextAndServed() throws Exception {
        try (RawPeer peer = new RawPeer(silo.gatewayPort(), new SiloAddress("client", 0, 140))) {
            peer.handshakeAsClient(4, 4);
            // Twice: a version 5 connection would name the grain type and silos by number the second time.
            for (Message answer : echoTwice(peer, "v4")) {
                assertThat(answer.targetGrain())
                        .as("responses of version 4 name the grain")
                        .isNotNull();
            }
        }
    }

    @Test
    void aClientOfProtocolVersion5IsAnsweredWithResponsesThatNameTheGrain() throws Exception {
        try (RawPeer peer = new RawPeer(silo.gatewayPort(), new SiloAddress("client", 0, 141))) {
            peer.handshakeAsClient(4, 5);
            for (Message answer : echoTwice(peer, "v5")) {
                assertThat(answer.targetGrain().key()).isEqualTo("old-client");
            }
        }
    }

    @Test
    void aClientOfProtocolVersion6IsAnsweredShort() throws Exception {
        try (RawPeer peer = new RawPeer(silo.gatewayPort(), new SiloAddress("client", 0, 142))) {
            peer.handshakeAsClient(4, 6);
            for (Message answer : echoTwice(peer, "v6")) {
                assertThat(answer.targetGrain())
                        .as("a short response does not repeat the grain")
                        .isNull();
            }
        }
    }

    /** Calls {@code EchoGrain.echo} twice over {@code peer}; checks and returns both answers. */
    private static List<Message> echoTwice(RawPeer peer, String label) throws Exception {
        String type = silo.grainTypes().implementationOf(EchoGrain.class).typeName();
        int echo = org.orleans4j.metadata.MethodInfo.idOf(EchoGrain.class.getMethod("echo", String.class));
        List<Message> answers = new ArrayList<>();
        for (long id = 1; id <= 2; id++) {
            peer.sendMessage(new Message(
                    Message.Direction.REQUEST,
                    id,
                    GrainId.ofString(type, "old-client"),
                    null,
                    null,
                    peer.self,
                    EchoGrain.class.getName(),
                    echo,
                    0,
                    0,
                    false,
                    Message.OK,
                    SERIALIZER.serializeCall(new Object[] {label + "-" + id}, null)));
            Message answer = peer.readResponse(id);
            assertThat(answer.status()).isEqualTo(Message.OK);
            assertThat(SERIALIZER.deserialize(answer.body())).isEqualTo(label + "-" + id);
            answers.add(answer);
        }
        return answers;
    }

    @Test
    void aRequestForAnotherGenerationOfThisSiloIsAnsweredUnavailableNotRelayed() throws IOException {
        long before = rejected(Rejection.MISADDRESSED_REQUEST);
        long sentBefore = silo.messagingStatistics().messagesSent();
        SiloAddress predecessor = new SiloAddress(
                silo.address().host(), silo.address().port(), silo.address().generation() - 1);
        String type = silo.grainTypes().implementationOf(EchoGrain.class).typeName();
        try (RawPeer peer = siloPeer(7)) {
            peer.sendMessage(new Message(
                    Message.Direction.REQUEST,
                    77,
                    GrainId.ofString(type, "loop"),
                    predecessor,
                    null,
                    peer.self,
                    EchoGrain.class.getName(),
                    0,
                    0,
                    0,
                    false,
                    Message.OK,
                    SERIALIZER.serializeCall(new Object[] {"x"}, null)));
            Message answer = peer.readResponse(77);
            assertThat(answer.status()).isEqualTo(Message.FAILED);
            assertThat(answer.invalidateCache()).isTrue();
            assertThat(SERIALIZER.deserializeFailure(answer.body())).hasMessageContaining("is not running at");
        }
        assertThat(rejected(Rejection.MISADDRESSED_REQUEST)).isEqualTo(before + 1);
        assertThat(silo.messagingStatistics().messagesSent() - sentBefore)
                .as("no relay loop")
                .isLessThan(20);
        assertServes("other-generation");
    }

    @Test
    void aHashCollidingSetSentToTheOpenManifestTargetIsRefusedQuickly() throws IOException {
        Set<String> colliding = new HashSet<>();
        for (int bits = 0; bits < (1 << 15); bits++) {
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < 15; i++) {
                key.append((bits & (1 << i)) != 0 ? "Aa" : "BB"); // "Aa" and "BB" share a hash code
            }
            colliding.add(key.toString());
        }
        try (RawPeer peer = clientPeer(1)) {
            long start = System.nanoTime();
            peer.sendMessage(systemRequest(peer.self, 11, "manifest", 0, colliding));
            Message answer = peer.readResponse(11);
            System.out.printf(
                    "ABUSE hash collisions: %d keys answered in %.1f ms%n",
                    colliding.size(), (System.nanoTime() - start) / 1e6);
            assertThat(answer.status()).isEqualTo(Message.FAILED);
            assertThat(SERIALIZER.deserializeFailure(answer.body())).hasMessageContaining("share hash codes");
        }
        assertServes("collisions");
    }

    @Test
    void aDepthBombFailsThatCallOnly() throws IOException {
        try (RawPeer peer = clientPeer(2)) {
            Message request = systemRequest(peer.self, 12, "manifest", 0, (Object) nested(1));
            peer.sendMessage(new Message(
                    request.direction(),
                    request.correlationId(),
                    request.targetGrain(),
                    request.targetSilo(),
                    null,
                    request.sendingSilo(),
                    null,
                    0,
                    0,
                    0,
                    false,
                    Message.OK,
                    depthBomb(2000)));
            Message answer = peer.readResponse(12);
            assertThat(answer.status()).isEqualTo(Message.FAILED);
            assertThat(SERIALIZER.deserializeFailure(answer.body())).hasMessageContaining("depth");
        }
        assertServes("depth");
    }

    private static Object[] nested(int depth) {
        Object[] outer = new Object[1];
        Object[] innermost = outer;
        for (int i = 1; i < depth; i++) {
            Object[] next = new Object[1];
            innermost[0] = next;
            innermost = next;
        }
        return outer;
    }

    /**
     * The arguments of a call holding object arrays nested {@code depth} deep, 4 bytes a level: made by
     * repeating the bytes one level adds, since writing it with Kryo would exhaust this thread's stack.
     */
    private static byte[] depthBomb(int depth) {
        byte[] one = SERIALIZER.serializeArgs(new Object[] {nested(1)});
        byte[] two = SERIALIZER.serializeArgs(new Object[] {nested(2)});
        int prefix = 0;
        while (one[prefix] == two[prefix]) {
            prefix++;
        }
        int level = two.length - one.length;
        java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
        bomb.write(one, 0, prefix);
        for (int i = 1; i < depth; i++) {
            bomb.write(two, prefix, level);
        }
        bomb.write(one, prefix, one.length - prefix);
        return bomb.toByteArray();
    }

    @Test
    void pingsFromAPeerThatNeverReadsAreNotAnsweredWithoutBound() throws IOException {
        long heapBefore = usedHeapMb();
        try (RawPeer peer = clientPeer(3)) {
            peer.socket.setReceiveBufferSize(4096);
            ByteBuf pings = Unpooled.buffer();
            for (int i = 0; i < 100_000; i++) {
                pings.writeInt(9).writeByte(SiloConnection.PING).writeLong(i);
            }
            byte[] bytes = new byte[pings.readableBytes()];
            pings.readBytes(bytes);
            try {
                for (int round = 0; round < 20; round++) { // 26 MB of pings, none of the pongs read
                    peer.out.write(bytes);
                }
                peer.out.flush();
            } catch (SocketException closed) {
                // the silo may cut off a peer that does not read: also a bounded outcome
            }
            assertServes("ping-flood");
            long heapGrowth = usedHeapMb() - heapBefore;
            System.out.printf(
                    "ABUSE ping flood: heap grew %d MB; unanswered pings %d, slow readers %d%n",
                    heapGrowth, rejected(Rejection.UNANSWERED_PING), rejected(Rejection.SLOW_READER));
            assertThat(rejected(Rejection.UNANSWERED_PING) + rejected(Rejection.SLOW_READER))
                    .isPositive();
            assertThat(heapGrowth).as("heap growth after GC, MB").isLessThan(64);
        }
    }

    @Test
    void aHugeFirstFrameIsRefusedBeforeTheHandshake() throws IOException {
        long before = rejected(Rejection.OVERSIZED_FRAME);
        try (RawPeer peer = new RawPeer(silo.gatewayPort(), new SiloAddress("client", 0, 1))) {
            peer.out.writeInt(16 * 1024 * 1024 - 1);
            peer.out.write(new byte[1024]);
            peer.out.flush();
            assertThat(peer.closedBySilo()).isTrue();
        }
        assertThat(rejected(Rejection.OVERSIZED_FRAME)).isEqualTo(before + 1);
        assertServes("first-frame");
    }

    @Test
    void aPartialFrameAndATrickleAreCutOffAtTheFrameTimeout() throws IOException {
        long before = rejected(Rejection.SLOW_FRAME);
        try (RawPeer partial = clientPeer(4);
                RawPeer trickle = clientPeer(5)) {
            partial.out.writeInt(16 * 1024 * 1024 - 1);
            partial.out.write(new byte[64 * 1024]);
            partial.out.flush();
            trickle.out.writeInt(1000);
            trickle.out.flush();
            for (int i = 0; i < 40 && !trickle.socket.isClosed(); i++) {
                try {
                    trickle.out.write(1); // a byte every 100 ms: never idle, never done
                    trickle.out.flush();
                } catch (SocketException closed) {
                    break;
                }
                await().pollDelay(Duration.ofMillis(100)).until(() -> true);
            }
            assertThat(partial.closedBySilo()).isTrue();
            assertThat(trickle.closedBySilo()).isTrue();
        }
        assertThat(rejected(Rejection.SLOW_FRAME)).isEqualTo(before + 2);
        assertServes("slow-frames");
    }

    @Test
    void anIdleConnectionIsClosed() throws IOException {
        long before = rejected(Rejection.IDLE_TIMEOUT);
        try (RawPeer peer = clientPeer(6)) {
            // The silo pings after a third of the idle timeout; a peer that never answers anything is cut off.
            assertThat(peer.closedBySilo()).isTrue();
        }
        assertThat(rejected(Rejection.IDLE_TIMEOUT)).isEqualTo(before + 1);
        assertServes("idle");
    }

    @Test
    void connectionsOverThePerAddressLimitAreClosedAtOnce() throws IOException {
        long before = rejected(Rejection.CONNECTION_LIMIT);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                sockets.add(new Socket("127.0.0.1", silo.gatewayPort()));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> rejected(Rejection.CONNECTION_LIMIT) == before + 10);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        assertServes("connection-limit");
    }
}
