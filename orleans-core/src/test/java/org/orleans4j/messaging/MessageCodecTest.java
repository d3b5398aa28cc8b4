package org.orleans4j.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;
import org.orleans4j.messaging.internal.Message;
import org.orleans4j.messaging.internal.MessageCodec;
import org.orleans4j.messaging.internal.ProtocolException;
import org.orleans4j.metadata.MethodInfo;

class MessageCodecTest {

    interface Sample {
        CompletableFuture<String> get(String key);

        CompletableFuture<String> get(long key);
    }

    private static final SiloAddress A = new SiloAddress("10.0.0.1", 11111, 1_795_000_000L);
    private static final SiloAddress B = new SiloAddress("fe80::1", 11112, 1_795_000_001L);

    private static Message full() {
        return new Message(
                Message.Direction.REQUEST,
                42L,
                GrainId.ofString("entry", "яблоко 🍎"),
                B,
                GrainId.ofUuid("caller", UUID.fromString("00000000-0000-0000-0000-000000000007")),
                A,
                "org.example.EntryGrain",
                123456,
                1_800_000_000_000L,
                2,
                true,
                Message.OK,
                new byte[] {1, 2, 3, 4, 5},
                65535);
    }

    private static Message roundTrip(Message message) {
        ByteBuf buffer = Unpooled.buffer();
        MessageCodec.encode(message, buffer);
        return MessageCodec.decode(buffer);
    }

    private static void assertSame(Message actual, Message expected) {
        // Silo addresses cache their text form, so compare them by equals, not field by field.
        assertThat(actual)
                .usingRecursiveComparison()
                .withEqualsForType(SiloAddress::equals, SiloAddress.class)
                .isEqualTo(expected);
    }

    @Test
    void everyFieldRoundTrips() {
        assertSame(roundTrip(full()), full());
    }

    @Test
    void optionalFieldsMayBeAbsent() {
        Message minimal = new Message(
                Message.Direction.ONE_WAY,
                0,
                GrainId.ofLong("counter", -5),
                null,
                null,
                A,
                null,
                0,
                0,
                0,
                false,
                Message.FAILED,
                null);
        Message back = roundTrip(minimal);
        assertSame(back, minimal);
        assertThat(back.targetGrain().keyAsLong()).isEqualTo(-5);
    }

    @Test
    void methodIdsAreStableAndTellOverloadsApart() throws Exception {
        int byString = MethodInfo.idOf(Sample.class.getMethod("get", String.class));
        int byLong = MethodInfo.idOf(Sample.class.getMethod("get", long.class));
        assertThat(byString).isNotEqualTo(byLong);
        assertThat(byString).isEqualTo(org.orleans4j.grain.StableHash.hash("get(java.lang.String;)"));
    }

    @Test
    void everyTruncationIsAProtocolError() {
        ByteBuf buffer = Unpooled.buffer();
        MessageCodec.encode(full(), buffer);
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        for (int length = 0; length < bytes.length; length++) {
            ByteBuf cut = Unpooled.wrappedBuffer(bytes, 0, length);
            assertThatThrownBy(() -> MessageCodec.decode(cut))
                    .as("cut at " + length)
                    .isInstanceOf(ProtocolException.class);
        }
    }

    @Test
    void aBodyLengthThatLiesIsAProtocolError() {
        ByteBuf buffer = Unpooled.buffer();
        MessageCodec.encode(full(), buffer);
        buffer.writeByte(9); // one byte more than the body length says
        assertThatThrownBy(() -> MessageCodec.decode(buffer))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("body length");
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButProtocolErrors() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            try {
                MessageCodec.decode(Unpooled.wrappedBuffer(bytes));
            } catch (ProtocolException expected) {
                continue;
            } catch (RuntimeException e) {
                fail("random frame " + i + " escaped as " + e, e);
            }
        }
    }
}
