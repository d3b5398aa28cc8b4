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
import org.orleans4j.messaging.internal.FieldDictionary;
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
                // Every third one as a connection of version 6 reads it, where a response is short.
                if (i % 3 == 0) {
                    MessageCodec.decode(Unpooled.wrappedBuffer(bytes), new FieldDictionary.Reader(), true);
                } else {
                    MessageCodec.decode(Unpooled.wrappedBuffer(bytes));
                }
            } catch (ProtocolException expected) {
                continue;
            } catch (RuntimeException e) {
                fail("random frame " + i + " escaped as " + e, e);
            }
        }
    }

    // ---- protocol version 5: fields a connection has carried go by number -----------------------------

    private static Message toGrain(String type, SiloAddress sender) {
        return new Message(
                Message.Direction.REQUEST,
                7L,
                GrainId.ofLong(type, 1),
                B,
                null,
                sender,
                "org.example.EntryGrain",
                1,
                0,
                0,
                false,
                Message.OK,
                new byte[] {1});
    }

    private static ByteBuf encoded(Message message, FieldDictionary.Writer fields) {
        ByteBuf buffer = Unpooled.buffer();
        MessageCodec.encode(message, buffer, fields);
        return buffer;
    }

    @Test
    void withDictionariesEveryFieldRoundTripsAndRepeatsCostTwoBytes() {
        FieldDictionary.Writer writer = new FieldDictionary.Writer();
        FieldDictionary.Reader reader = new FieldDictionary.Reader();
        ByteBuf first = encoded(full(), writer);
        int firstSize = first.readableBytes();
        assertSame(MessageCodec.decode(first, reader), full());
        ByteBuf second = encoded(full(), writer);
        // Four cached fields (two types, two silos, one interface: five) shrink to their numbers.
        assertThat(second.readableBytes()).isLessThan(firstSize - 50);
        Message back = MessageCodec.decode(second, reader);
        assertSame(back, full());
        assertThat(back.sendingSilo())
                .isSameAs(MessageCodec.decode(encoded(full(), writer), reader).sendingSilo());
    }

    @Test
    void aReferenceToAnUndefinedFieldIsAProtocolError() {
        ByteBuf buffer = encoded(full(), new FieldDictionary.Writer());
        ByteBuf again = encoded(full(), primed());
        MessageCodec.decode(buffer, new FieldDictionary.Reader());
        assertThatThrownBy(() -> MessageCodec.decode(again, new FieldDictionary.Reader()))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("only 0 are defined");
    }

    /** A writer that has already defined the fields of {@link #full()}. */
    private static FieldDictionary.Writer primed() {
        FieldDictionary.Writer writer = new FieldDictionary.Writer();
        encoded(full(), writer);
        return writer;
    }

    /**
     * The start of a forged request up to its target grain: grain type "entry" written with {@code typeCode}
     * ({@link FieldDictionary#DEFINE} or {@link FieldDictionary#LITERAL}), key "k".
     */
    private static void writeTargetGrain(ByteBuf forged, int typeCode) {
        forged.writeByte(Message.Direction.REQUEST.ordinal()).writeLong(1);
        forged.writeByte(0); // key kind
        forged.writeShort(typeCode).writeShort(5).writeBytes("entry".getBytes());
        forged.writeShort(1).writeByte('k');
    }

    @Test
    void aFieldOfTheWrongKindIsAProtocolError() {
        ByteBuf forged = Unpooled.buffer();
        writeTargetGrain(forged, FieldDictionary.DEFINE);
        forged.writeShort(0); // target silo: entry 0, which is the grain type
        assertThatThrownBy(() -> MessageCodec.decode(forged, new FieldDictionary.Reader()))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not a SiloAddress");
    }

    @Test
    void dictionariesAreBoundedAlikeOnBothEnds() {
        FieldDictionary.Writer writer = new FieldDictionary.Writer();
        FieldDictionary.Reader reader = new FieldDictionary.Reader();
        for (int i = 0; i < FieldDictionary.MAX_ENTRIES + 50; i++) {
            Message message = toGrain("type-" + i, A);
            assertSame(MessageCodec.decode(encoded(message, writer), reader), message);
        }
        // Past the bound the writer goes literal: the reader, which defined no more, still reads every field.
        assertThat(writer.size()).isEqualTo(FieldDictionary.MAX_ENTRIES);
        Message late = toGrain("type-" + (FieldDictionary.MAX_ENTRIES + 10), A);
        assertSame(MessageCodec.decode(encoded(late, writer), reader), late);
    }

    @Test
    void aPeerThatDefinesPastTheBoundBreaksTheProtocol() {
        FieldDictionary.Reader reader = new FieldDictionary.Reader();
        int fit = FieldDictionary.MAX_BYTES / FieldDictionary.MAX_TEXT_BYTES;
        ByteBuf forged = Unpooled.buffer();
        for (int i = 0; i <= fit; i++) {
            String name = (i + "i").repeat(FieldDictionary.MAX_TEXT_BYTES).substring(0, FieldDictionary.MAX_TEXT_BYTES);
            forged.clear();
            writeTargetGrain(forged, FieldDictionary.LITERAL);
            forged.writeShort(FieldDictionary.NULL); // no target silo
            forged.writeByte(0xFF); // no sending grain
            forged.writeShort(FieldDictionary.LITERAL)
                    .writeShort(A.toString().length())
                    .writeBytes(A.toString().getBytes());
            forged.writeShort(FieldDictionary.DEFINE).writeShort(name.length()).writeBytes(name.getBytes());
            forged.writeShort(0)
                    .writeInt(0)
                    .writeLong(0)
                    .writeByte(0)
                    .writeBoolean(false)
                    .writeByte(0)
                    .writeInt(0);
            if (i < fit) {
                assertThat(MessageCodec.decode(forged, reader).interfaceName()).isEqualTo(name);
            } else {
                assertThatThrownBy(() -> MessageCodec.decode(forged, reader))
                        .isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("defined more than");
            }
        }
    }

    @Test
    void aMessageThatFailsToEncodeDefinesNothing() {
        FieldDictionary.Writer writer = new FieldDictionary.Writer();
        FieldDictionary.Reader reader = new FieldDictionary.Reader();
        Message tooLong = new Message(
                Message.Direction.REQUEST,
                1,
                GrainId.ofLong("fresh-type", 1),
                B,
                null,
                A,
                "i".repeat(FieldDictionary.MAX_TEXT_BYTES + 1),
                1,
                0,
                0,
                false,
                Message.OK,
                null);
        assertThatThrownBy(() -> encoded(tooLong, writer)).isInstanceOf(IllegalArgumentException.class);
        assertThat(writer.size()).isZero();
        // The frame was never sent: the next message defines the type again, and the reader follows.
        Message next = toGrain("fresh-type", A);
        assertSame(MessageCodec.decode(encoded(next, writer), reader), next);
    }

    @Test
    void randomBytesWithADictionaryNeverEscapeAsAnythingButProtocolErrors() {
        Random random = new Random(11);
        FieldDictionary.Reader reader = new FieldDictionary.Reader();
        MessageCodec.decode(encoded(full(), new FieldDictionary.Writer()), reader);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            try {
                MessageCodec.decode(Unpooled.wrappedBuffer(bytes), reader);
            } catch (ProtocolException expected) {
                continue;
            } catch (RuntimeException e) {
                fail("random frame " + i + " escaped as " + e, e);
            }
        }
    }

    // ---- protocol version 6: a response carries only what its caller reads -----------------------------

    /** The response to {@link #full()} as a silo writes it: the called grain named again, no interface. */
    private static Message response() {
        return new Message(
                Message.Direction.RESPONSE,
                42L,
                GrainId.ofString("entry", "яблоко 🍎"),
                A,
                null,
                B,
                null,
                0,
                0,
                0,
                true,
                Message.FAILED,
                new byte[] {9, 8, 7});
    }

    private static ByteBuf encodedShort(Message message, FieldDictionary.Writer fields) {
        ByteBuf buffer = Unpooled.buffer();
        MessageCodec.encode(message, buffer, fields, true);
        return buffer;
    }

    @Test
    void aShortResponseKeepsWhatItsCallerReadsAndDropsTheCalledGrain() {
        FieldDictionary.Writer writer = new FieldDictionary.Writer();
        FieldDictionary.Reader reader = new FieldDictionary.Reader();
        ByteBuf longForm = encoded(response(), primed());
        ByteBuf shortForm = encodedShort(response(), writer);
        Message back = MessageCodec.decode(shortForm, reader, true);
        assertThat(back.direction()).isEqualTo(Message.Direction.RESPONSE);
        assertThat(back.correlationId()).isEqualTo(42L);
        assertThat(back.targetSilo()).isEqualTo(A);
        assertThat(back.sendingSilo()).isEqualTo(B);
        assertThat(back.invalidateCache()).isTrue();
        assertThat(back.status()).isEqualTo(Message.FAILED);
        assertThat(back.body()).containsExactly(9, 8, 7);
        assertThat(back.targetGrain()).as("not repeated").isNull();
        assertThat(back.interfaceName()).isNull();
        // Once the silos are known by number: 1 + 8 + 2 + 2 + 1 + 1 + 4 header bytes against the grain's type and
        // key, the interface and the call's limits of the long form.
        ByteBuf again = encodedShort(response(), writer);
        assertThat(again.readableBytes()).isEqualTo(19 + 3);
        assertThat(again.readableBytes()).isLessThan(longForm.readableBytes() - 20);
        assertThat(MessageCodec.decode(again, reader, true).sendingSilo()).isEqualTo(B);
    }

    @Test
    void requestsAreWrittenAlikeWhetherResponsesAreShortOrNot() {
        ByteBuf shortVersion = Unpooled.buffer();
        MessageCodec.encode(full(), shortVersion, new FieldDictionary.Writer(), true);
        ByteBuf before = encoded(full(), new FieldDictionary.Writer());
        assertThat(shortVersion).isEqualTo(before);
        assertSame(MessageCodec.decode(shortVersion, new FieldDictionary.Reader(), true), full());
    }

    @Test
    void aResponseReadShortCannotBeWrittenToAnOlderPeerAndDefinesNothing() {
        Message readShort = MessageCodec.decode(
                encodedShort(response(), new FieldDictionary.Writer()), new FieldDictionary.Reader(), true);
        FieldDictionary.Writer older = new FieldDictionary.Writer();
        assertThatThrownBy(() -> MessageCodec.encode(readShort, Unpooled.buffer(), older))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 5 or earlier");
        assertThat(older.size()).isZero();
    }

    @Test
    void everyTruncationOfAShortResponseIsAProtocolError() {
        ByteBuf whole = encodedShort(response(), new FieldDictionary.Writer());
        for (int length = 0; length < whole.readableBytes(); length++) {
            ByteBuf cut = whole.copy(0, length);
            assertThatThrownBy(() -> MessageCodec.decode(cut, new FieldDictionary.Reader(), true))
                    .as("cut at %d bytes", length)
                    .isInstanceOf(ProtocolException.class);
        }
    }

    @Test
    void aShortResponseWithoutASendingSiloIsAProtocolError() {
        ByteBuf forged = Unpooled.buffer();
        forged.writeByte(Message.Direction.RESPONSE.ordinal()).writeLong(1);
        forged.writeShort(FieldDictionary.NULL).writeShort(FieldDictionary.NULL);
        forged.writeBoolean(false).writeByte(Message.OK).writeInt(0);
        assertThatThrownBy(() -> MessageCodec.decode(forged, new FieldDictionary.Reader(), true))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("without a sending silo");
    }
}
