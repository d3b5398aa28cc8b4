package org.orleans4j.messaging.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.KeyKind;

/**
 * The binary form of a {@link Message} inside a frame. Hand-written and strict: every length is
 * checked against what the frame holds before anything is allocated, so a hostile frame can cost
 * at most its own size and ends in a {@link ProtocolException}.
 *
 * <p>Since protocol version 5 a connection writes grain types, interface names and silo addresses
 * through a {@link FieldDictionary} of each direction; without one (a peer of version 4) every field
 * is written as text.
 *
 * <p>Since version 6 a response is short: direction, correlation id, the two silos, whether the
 * caller's cached address proved wrong, status and body. What it answers is known to its caller by the
 * correlation id (and only a response from the connection the call went out on completes it), so the
 * called grain, written in full with its key as text, the interface and the call's limits are not
 * repeated: reading and writing them was work on both event loops for every call.
 */
public final class MessageCodec {

    private static final Message.Direction[] DIRECTIONS = Message.Direction.values();
    /** The fields of a message that name the same few values again and again: {@link FieldDictionary.Writer} slots. */
    private static final int TARGET_TYPE = 0;

    private static final int TARGET_SILO = 1;
    private static final int SENDING_SILO = 2;
    private static final int INTERFACE_NAME = 3;
    private static final int SENDING_TYPE = 4;
    private static final KeyKind[] KEY_KINDS = KeyKind.values();

    private MessageCodec() {}

    /** Writes {@code m} as a peer of version 4 reads it: every field as text. */
    public static void encode(Message m, ByteBuf out) {
        encode(m, out, null);
    }

    /**
     * Writes {@code m} with the fields the peer already knows by number ({@code fields}: this
     * direction's dictionary, or {@code null} for the text of version 4). If it fails, the values it
     * defined are forgotten again, since the frame that carried them is not sent.
     */
    public static void encode(Message m, ByteBuf out, FieldDictionary.@Nullable Writer fields) {
        encode(m, out, fields, false);
    }

    /**
     * As {@link #encode(Message, ByteBuf, FieldDictionary.Writer)}; {@code shortResponses}: the connection
     * speaks version 6 or later, where a response is written short.
     */
    public static void encode(Message m, ByteBuf out, FieldDictionary.@Nullable Writer fields, boolean shortResponses) {
        int mark = fields == null ? 0 : fields.size();
        try {
            if (shortResponses && m.direction() == Message.Direction.RESPONSE) {
                writeShortResponse(m, out, fields);
            } else {
                writeFields(m, out, fields);
            }
        } catch (RuntimeException e) {
            if (fields != null) {
                fields.forgetFrom(mark);
            }
            throw e;
        }
    }

    private static void writeShortResponse(Message m, ByteBuf out, FieldDictionary.@Nullable Writer fields) {
        out.writeByte(m.direction().ordinal());
        out.writeLong(m.correlationId());
        writeSilo(out, m.targetSilo(), fields, TARGET_SILO);
        writeSilo(out, m.sendingSilo(), fields, SENDING_SILO);
        out.writeBoolean(m.invalidateCache());
        out.writeByte(m.status());
        out.writeInt(m.body().length);
        out.writeBytes(m.body());
    }

    private static void writeFields(Message m, ByteBuf out, FieldDictionary.@Nullable Writer fields) {
        if (m.targetGrain() == null) {
            // Only a short response lacks it, and a connection of version 5 or earlier cannot carry one.
            throw new IllegalArgumentException("a response read short cannot be written to a peer of version "
                    + "5 or earlier: it no longer names the grain it answers");
        }
        out.writeByte(m.direction().ordinal());
        out.writeLong(m.correlationId());
        writeGrain(out, m.targetGrain(), fields, TARGET_TYPE);
        writeSilo(out, m.targetSilo(), fields, TARGET_SILO);
        writeGrain(out, m.sendingGrain(), fields, SENDING_TYPE);
        writeSilo(out, m.sendingSilo(), fields, SENDING_SILO);
        writeCached(out, m.interfaceName(), fields, INTERFACE_NAME);
        out.writeShort(m.interfaceVersion());
        out.writeInt(m.methodId());
        out.writeLong(m.timeToLiveMillis());
        out.writeByte(m.forwardCount());
        out.writeBoolean(m.invalidateCache());
        out.writeByte(m.status());
        out.writeInt(m.body().length);
        out.writeBytes(m.body());
    }

    /** Reads a message that a peer of version 4 wrote: every field as text. */
    public static Message decode(ByteBuf in) {
        return decode(in, null);
    }

    /**
     * Reads a message with the fields this direction's dictionary knows ({@code fields}, or {@code null}
     * for the text of version 4).
     */
    public static Message decode(ByteBuf in, FieldDictionary.@Nullable Reader fields) {
        return decode(in, fields, false);
    }

    /**
     * As {@link #decode(ByteBuf, FieldDictionary.Reader)}; {@code shortResponses}: the connection speaks
     * version 6 or later, where a response is written short (its message has no target grain).
     */
    public static Message decode(ByteBuf in, FieldDictionary.@Nullable Reader fields, boolean shortResponses) {
        try {
            int direction = in.readUnsignedByte();
            if (direction >= DIRECTIONS.length) {
                throw new ProtocolException("unknown message direction " + direction);
            }
            long correlationId = in.readLong();
            if (shortResponses && DIRECTIONS[direction] == Message.Direction.RESPONSE) {
                return readShortResponse(in, correlationId, fields);
            }
            GrainId targetGrain = readGrain(in, fields);
            if (targetGrain == null) {
                throw new ProtocolException("message without a target grain");
            }
            SiloAddress targetSilo = readSilo(in, fields);
            GrainId sendingGrain = readGrain(in, fields);
            SiloAddress sendingSilo = readSilo(in, fields);
            if (sendingSilo == null) {
                throw new ProtocolException("message without a sending silo");
            }
            String interfaceName = readCached(in, fields);
            int interfaceVersion = in.readUnsignedShort();
            int methodId = in.readInt();
            long timeToLive = in.readLong();
            if (timeToLive < 0) {
                throw new ProtocolException("negative time to live " + timeToLive);
            }
            int forwardCount = in.readUnsignedByte();
            boolean invalidate = in.readBoolean();
            byte status = in.readByte();
            byte[] body = readBody(in);
            return new Message(
                    DIRECTIONS[direction],
                    correlationId,
                    targetGrain,
                    targetSilo,
                    sendingGrain,
                    sendingSilo,
                    interfaceName,
                    methodId,
                    timeToLive,
                    forwardCount,
                    invalidate,
                    status,
                    body,
                    interfaceVersion);
        } catch (IndexOutOfBoundsException e) {
            throw new ProtocolException("truncated message");
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("malformed message: " + e.getMessage());
        }
    }

    private static Message readShortResponse(ByteBuf in, long correlationId, FieldDictionary.@Nullable Reader fields) {
        SiloAddress targetSilo = readSilo(in, fields);
        SiloAddress sendingSilo = readSilo(in, fields);
        if (sendingSilo == null) {
            throw new ProtocolException("message without a sending silo");
        }
        boolean invalidate = in.readBoolean();
        byte status = in.readByte();
        byte[] body = readBody(in);
        return new Message(
                Message.Direction.RESPONSE,
                correlationId,
                null,
                targetSilo,
                null,
                sendingSilo,
                null,
                0,
                0,
                0,
                invalidate,
                status,
                body);
    }

    /** The rest of the frame, which its length prefix must match exactly. */
    private static byte[] readBody(ByteBuf in) {
        int bodyLength = in.readInt();
        if (bodyLength < 0 || bodyLength != in.readableBytes()) {
            throw new ProtocolException("message body length " + bodyLength + " does not match the frame ("
                    + in.readableBytes() + " bytes left)");
        }
        byte[] body = new byte[bodyLength];
        in.readBytes(body);
        return body;
    }

    private static void writeGrain(
            ByteBuf out, @Nullable GrainId id, FieldDictionary.@Nullable Writer fields, int typeSlot) {
        if (id == null) {
            out.writeByte(0xFF);
            return;
        }
        out.writeByte(id.keyKind().ordinal());
        writeCached(out, id.type(), fields, typeSlot);
        // Keys are many and seldom repeat on a connection: always text.
        writeText(out, id.key());
    }

    private static void writeCached(
            ByteBuf out, @Nullable String text, FieldDictionary.@Nullable Writer fields, int slot) {
        if (fields == null) {
            writeText(out, text);
        } else {
            fields.write(out, text, slot);
        }
    }

    private static @Nullable String readCached(ByteBuf in, FieldDictionary.@Nullable Reader fields) {
        return fields == null ? readText(in) : fields.readText(in);
    }

    private static @Nullable GrainId readGrain(ByteBuf in, FieldDictionary.@Nullable Reader fields) {
        int kind = in.readUnsignedByte();
        if (kind == 0xFF) {
            return null;
        }
        if (kind >= KEY_KINDS.length) {
            throw new ProtocolException("unknown grain key kind " + kind);
        }
        String type = readCached(in, fields);
        String key = readText(in);
        if (type == null || key == null) {
            throw new ProtocolException("grain id without type or key");
        }
        return GrainId.of(type, key, KEY_KINDS[kind]);
    }

    private static void writeSilo(
            ByteBuf out, @Nullable SiloAddress silo, FieldDictionary.@Nullable Writer fields, int slot) {
        if (fields == null) {
            writeText(out, silo == null ? null : silo.toString());
        } else {
            fields.write(out, silo, slot);
        }
    }

    private static @Nullable SiloAddress readSilo(ByteBuf in, FieldDictionary.@Nullable Reader fields) {
        if (fields != null) {
            return fields.read(in, SiloAddress.class, SiloAddress::parse);
        }
        String text = readText(in);
        if (text == null) {
            return null;
        }
        // A cluster has few silos and every message names two: parse each address once.
        SiloAddress known = SILOS.get(text);
        if (known == null) {
            known = SiloAddress.parse(text);
            if (SILOS.size() >= MAX_CACHED_SILOS) {
                SILOS.clear();
            }
            SILOS.put(text, known);
        }
        return known;
    }

    private static final int MAX_CACHED_SILOS = 4096;
    private static final java.util.concurrent.ConcurrentHashMap<String, SiloAddress> SILOS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static void writeText(ByteBuf out, @Nullable String text) {
        if (text == null) {
            out.writeShort(FieldDictionary.NULL);
            return;
        }
        // Straight into the frame: a key is written once per call, and an array for its bytes would be garbage.
        int length = ByteBufUtil.utf8Bytes(text);
        FieldDictionary.checkTextLength(length);
        out.writeShort(length);
        ByteBufUtil.reserveAndWriteUtf8(out, text, length);
    }

    private static @Nullable String readText(ByteBuf in) {
        int length = in.readUnsignedShort();
        return length == FieldDictionary.NULL ? null : FieldDictionary.readUtf8(in, length);
    }
}
