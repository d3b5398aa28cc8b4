package org.orleans4j.messaging;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.orleans4j.runtime.SiloAddress;

/**
 * The first frame each side of a silo connection sends: protocol version, the cluster it belongs to
 * and who it is. A connection whose peer names another service or cluster is closed, so silos of
 * different deployments sharing a network never exchange messages.
 */
public record Handshake(int protocolVersion, String serviceId, String clusterId, SiloAddress sender) {

    /** "ORLJ": lets a silo tell a stray connection (an HTTP probe, say) from a peer at once. */
    static final int MAGIC = 0x4F524C4A;
    public static final int PROTOCOL_VERSION = 1;
    private static final int MAX_TEXT_BYTES = 1024;

    void writeTo(ByteBuf out) {
        out.writeInt(MAGIC);
        out.writeShort(protocolVersion);
        writeText(out, serviceId);
        writeText(out, clusterId);
        writeText(out, sender.toString());
    }

    /** Parses a handshake frame; throws {@link ProtocolException} for anything else. */
    static Handshake readFrom(ByteBuf in) {
        if (in.readableBytes() < 6 || in.readInt() != MAGIC) {
            throw new ProtocolException("not an Orleans silo handshake");
        }
        int version = in.readUnsignedShort();
        String serviceId = readText(in);
        String clusterId = readText(in);
        SiloAddress sender;
        try {
            sender = SiloAddress.parse(readText(in));
        } catch (RuntimeException e) {
            throw new ProtocolException("handshake carries a malformed silo address");
        }
        if (in.isReadable()) {
            throw new ProtocolException("handshake frame has trailing bytes");
        }
        return new Handshake(version, serviceId, clusterId, sender);
    }

    private static void writeText(ByteBuf out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.writeBytes(bytes);
    }

    private static String readText(ByteBuf in) {
        if (in.readableBytes() < 2) {
            throw new ProtocolException("handshake is truncated");
        }
        int length = in.readUnsignedShort();
        if (length > MAX_TEXT_BYTES || length > in.readableBytes()) {
            throw new ProtocolException("handshake text field of " + length + " bytes is too long or truncated");
        }
        return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }
}
