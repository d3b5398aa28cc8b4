package org.orleans4j.messaging;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.orleans4j.runtime.SiloAddress;

/**
 * The first frame each side of a connection sends: protocol version, what the sender is, the cluster
 * it belongs to and who it is. A connection whose peer names another service or cluster, or is not
 * what the endpoint serves (a client on the silo port, a silo on the gateway port), is closed, so
 * silos of different deployments sharing a network never exchange messages.
 *
 * @param role what the sender is: a silo on its silo port, a silo's gateway, or a cluster client
 */
public record Handshake(int protocolVersion, String serviceId, String clusterId, SiloAddress sender, Role role) {

    /** "ORLJ": lets a silo tell a stray connection (an HTTP probe, say) from a peer at once. */
    static final int MAGIC = 0x4F524C4A;
    /** 2: the handshake carries the sender's role. */
    public static final int PROTOCOL_VERSION = 2;
    private static final int MAX_TEXT_BYTES = 1024;
    private static final Role[] ROLES = Role.values();

    /** What the sender of a handshake is. */
    public enum Role {
        /** A silo, connecting to or answering on the silo-to-silo port. */
        SILO,
        /** A silo answering a client on its gateway port. */
        GATEWAY,
        /** A cluster client connecting to a gateway: never probed, never in the membership table. */
        CLIENT
    }

    /** A silo's handshake. */
    public Handshake(int protocolVersion, String serviceId, String clusterId, SiloAddress sender) {
        this(protocolVersion, serviceId, clusterId, sender, Role.SILO);
    }

    Handshake withRole(Role newRole) {
        return new Handshake(protocolVersion, serviceId, clusterId, sender, newRole);
    }

    void writeTo(ByteBuf out) {
        out.writeInt(MAGIC);
        out.writeShort(protocolVersion);
        out.writeByte(role.ordinal());
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
        if (version != PROTOCOL_VERSION) {
            // The rest of the frame may be laid out differently: nothing more can be read safely.
            throw new ProtocolException("peer speaks protocol version " + version + ", this side " + PROTOCOL_VERSION
                    + " (are both built from the same release?)");
        }
        if (!in.isReadable()) {
            throw new ProtocolException("handshake is truncated");
        }
        int role = in.readUnsignedByte();
        if (role >= ROLES.length) {
            throw new ProtocolException("handshake names unknown role " + role);
        }
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
        return new Handshake(version, serviceId, clusterId, sender, ROLES[role]);
    }

    /** Whether both sides belong to the same service and cluster. */
    boolean sameClusterAs(Handshake other) {
        return serviceId.equals(other.serviceId) && clusterId.equals(other.clusterId);
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
