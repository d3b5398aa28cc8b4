package org.orleans4j.messaging.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.KeyKind;

/**
 * The binary form of a {@link Message} inside a frame. Hand-written and strict: every length is
 * checked against what the frame holds before anything is allocated, so a hostile frame can cost
 * at most its own size and ends in a {@link ProtocolException}.
 */
public final class MessageCodec {

    private static final int MAX_TEXT_BYTES = 4096;
    private static final Message.Direction[] DIRECTIONS = Message.Direction.values();
    private static final KeyKind[] KEY_KINDS = KeyKind.values();

    private MessageCodec() {}

    public static void encode(Message m, ByteBuf out) {
        out.writeByte(m.direction().ordinal());
        out.writeLong(m.correlationId());
        writeGrain(out, m.targetGrain());
        writeSilo(out, m.targetSilo());
        writeGrain(out, m.sendingGrain());
        writeSilo(out, m.sendingSilo());
        writeText(out, m.interfaceName());
        out.writeShort(m.interfaceVersion());
        out.writeInt(m.methodId());
        out.writeLong(m.timeToLiveMillis());
        out.writeByte(m.forwardCount());
        out.writeBoolean(m.invalidateCache());
        out.writeByte(m.status());
        out.writeInt(m.body().length);
        out.writeBytes(m.body());
    }

    public static Message decode(ByteBuf in) {
        try {
            int direction = in.readUnsignedByte();
            if (direction >= DIRECTIONS.length) {
                throw new ProtocolException("unknown message direction " + direction);
            }
            long correlationId = in.readLong();
            GrainId targetGrain = readGrain(in);
            if (targetGrain == null) {
                throw new ProtocolException("message without a target grain");
            }
            SiloAddress targetSilo = readSilo(in);
            GrainId sendingGrain = readGrain(in);
            SiloAddress sendingSilo = readSilo(in);
            if (sendingSilo == null) {
                throw new ProtocolException("message without a sending silo");
            }
            String interfaceName = readText(in);
            int interfaceVersion = in.readUnsignedShort();
            int methodId = in.readInt();
            long timeToLive = in.readLong();
            if (timeToLive < 0) {
                throw new ProtocolException("negative time to live " + timeToLive);
            }
            int forwardCount = in.readUnsignedByte();
            boolean invalidate = in.readBoolean();
            byte status = in.readByte();
            int bodyLength = in.readInt();
            if (bodyLength < 0 || bodyLength != in.readableBytes()) {
                throw new ProtocolException("message body length " + bodyLength + " does not match the frame ("
                        + in.readableBytes() + " bytes left)");
            }
            byte[] body = new byte[bodyLength];
            in.readBytes(body);
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

    private static void writeGrain(ByteBuf out, @Nullable GrainId id) {
        if (id == null) {
            out.writeByte(0xFF);
            return;
        }
        out.writeByte(id.keyKind().ordinal());
        writeText(out, id.type());
        writeText(out, id.key());
    }

    private static @Nullable GrainId readGrain(ByteBuf in) {
        int kind = in.readUnsignedByte();
        if (kind == 0xFF) {
            return null;
        }
        if (kind >= KEY_KINDS.length) {
            throw new ProtocolException("unknown grain key kind " + kind);
        }
        String type = readText(in);
        String key = readText(in);
        if (type == null || key == null) {
            throw new ProtocolException("grain id without type or key");
        }
        return GrainId.of(type, key, KEY_KINDS[kind]);
    }

    private static void writeSilo(ByteBuf out, @Nullable SiloAddress silo) {
        writeText(out, silo == null ? null : silo.toString());
    }

    private static @Nullable SiloAddress readSilo(ByteBuf in) {
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
            out.writeShort(0xFFFF);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("text field of " + bytes.length + " bytes exceeds " + MAX_TEXT_BYTES);
        }
        out.writeShort(bytes.length);
        out.writeBytes(bytes);
    }

    private static @Nullable String readText(ByteBuf in) {
        int length = in.readUnsignedShort();
        if (length == 0xFFFF) {
            return null;
        }
        if (length > MAX_TEXT_BYTES || length > in.readableBytes()) {
            throw new ProtocolException("text field of " + length + " bytes is too long or truncated");
        }
        return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }
}
