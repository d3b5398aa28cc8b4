package org.orleans4j.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.messaging.internal.FieldDictionary;
import org.orleans4j.messaging.internal.Message;
import org.orleans4j.messaging.internal.MessageCodec;
import org.orleans4j.serialization.internal.SerializationTypes;
import org.orleans4j.serialization.internal.WireSerializer;

/**
 * Bytes on the wire of the benchmark's call ({@code PingGrain.ping(long)}) and of a call whose
 * argument is an application record, body and whole message: what the serializer and header cost.
 */
public final class WireSizes {

    /** A typical application argument: a record holding text, numbers, an enum and a list of records. */
    public record Order(String customer, int quantity, long priceCents, Status status, Instant at, List<Line> lines) {}

    public record Line(String sku, int count) {}

    public enum Status {
        OPEN,
        SHIPPED
    }

    public interface OrderGrain extends GrainWithStringKey {
        CompletableFuture<Long> place(Order order);
    }

    private WireSizes() {}

    public static void main(String[] args) {
        WireSerializer wire = new WireSerializer(
                new SerializationTypes().scanInterface(PingGrain.class).scanInterface(OrderGrain.class), 1 << 20);
        byte[] ping = wire.serializeCall(new Object[] {42L}, null);
        Order order = new Order(
                "ann",
                3,
                1999,
                Status.OPEN,
                Instant.ofEpochSecond(1_800_000_000L),
                List.of(new Line("sku-1", 1), new Line("sku-2", 2)));
        byte[] place = wire.serializeCall(new Object[] {order}, null);
        byte[] pong = wire.serialize(42L);
        System.out.printf(
                Locale.ROOT,
                "WIRE ping(long) call: body %d bytes, message %s; its response: body %d bytes, message %s%n",
                ping.length,
                messageSize(PingGrain.class, GrainId.ofLong("PingGrain", 7), ping, Message.Direction.REQUEST),
                pong.length,
                messageSize(PingGrain.class, GrainId.ofLong("PingGrain", 7), pong, Message.Direction.RESPONSE));
        System.out.printf(
                Locale.ROOT,
                "WIRE place(Order) call, a record of 6 fields with 2 nested records: body %d bytes, message %s%n",
                place.length,
                messageSize(OrderGrain.class, GrainId.ofString("OrderGrain", "o-1"), place, Message.Direction.REQUEST));
    }

    /**
     * The message's size in protocol version 4 (every name as text), in version 5 the first time on a
     * connection (names defined) and after (names sent by number), and in version 6 after (where a response
     * no longer names the grain it answers).
     */
    private static String messageSize(
            Class<?> grainInterface, GrainId target, byte[] body, Message.Direction direction) {
        SiloAddress caller = new SiloAddress("10.0.0.1", 11111, 1_800_000_000_000L);
        SiloAddress callee = new SiloAddress("10.0.0.2", 11111, 1_800_000_000_001L);
        boolean request = direction == Message.Direction.REQUEST;
        Message message = new Message(
                direction,
                1234,
                target,
                callee,
                null,
                caller,
                request ? grainInterface.getName() : null,
                request ? 987654321 : 0,
                request ? 30_000 : 0,
                0,
                false,
                Message.OK,
                body);
        ByteBuf text = Unpooled.buffer();
        MessageCodec.encode(message, text);
        FieldDictionary.Writer fields = new FieldDictionary.Writer();
        ByteBuf first = Unpooled.buffer();
        MessageCodec.encode(message, first, fields);
        ByteBuf repeat = Unpooled.buffer();
        MessageCodec.encode(message, repeat, fields);
        FieldDictionary.Writer latest = new FieldDictionary.Writer();
        MessageCodec.encode(message, Unpooled.buffer(), latest, true);
        ByteBuf now = Unpooled.buffer();
        MessageCodec.encode(message, now, latest, true);
        return String.format(
                Locale.ROOT,
                "%d bytes (protocol 4; protocol 5: %d the first time on a connection, %d after; protocol 6: %d after)",
                text.readableBytes(),
                first.readableBytes(),
                repeat.readableBytes(),
                now.readableBytes());
    }
}
