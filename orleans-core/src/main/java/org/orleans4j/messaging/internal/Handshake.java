package org.orleans4j.messaging.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;

/**
 * The first frame each side of a connection sends: protocol version, what the sender is, the cluster
 * it belongs to, who it is and, from a silo connecting to another silo, which silo it means to reach
 * (with its generation, so a process restarted on the same host and port does not answer for its
 * predecessor). A connection whose peer names another service or cluster, another generation of the
 * accepting silo, or is not what the endpoint serves (a client on the silo port, a silo on the gateway
 * port), is refused: the accepting side answers with a {@link Refusal} that gives the reason but none
 * of its own ids, then closes.
 *
 * <p>Each side also sends the range of protocol versions it speaks. A connection speaks the highest
 * version both sides do; a side refuses only a peer whose range does not meet its own, naming both
 * ranges, so a rolling upgrade may run silos of neighbouring releases side by side.
 *
 * @param protocolVersion the highest protocol version the sender speaks
 * @param role what the sender is: a silo on its silo port, a silo's gateway, or a cluster client
 * @param target the silo the sender means to reach, or {@code null} (an answer; a client, which connects to
 *        any gateway)
 * @param minProtocolVersion the lowest protocol version the sender speaks
 */
public record Handshake(
        int protocolVersion,
        String serviceId,
        String clusterId,
        SiloAddress sender,
        Role role,
        @Nullable SiloAddress target,
        int minProtocolVersion) {

    /** "ORLJ": lets a silo tell a stray connection (an HTTP probe, say) from a peer at once. */
    static final int MAGIC = 0x4F524C4A;
    /**
     * The highest version this build speaks. 3: the connecting side names its target; a refusal carries a
     * reason, not the refusing side's ids. 4: handshakes carry a version range; the GOING_AWAY_ACK frame;
     * application values are written by field tag, not position. 5: messages name grain types, interface
     * names and silo addresses by number once a connection has carried them (see {@link FieldDictionary}).
     * 6: a response carries only what its caller reads (see {@link MessageCodec}), not the called grain again.
     */
    public static final int PROTOCOL_VERSION = 6;
    /** The lowest version this build speaks. */
    public static final int MIN_PROTOCOL_VERSION = 4;
    /** The first version whose messages use a {@link FieldDictionary} per direction. */
    static final int FIRST_DICTIONARY_VERSION = 5;
    /** The first version whose responses leave out the fields of the call they answer. */
    static final int FIRST_SHORT_RESPONSE_VERSION = 6;
    /** The first version whose handshake carries a range: an older peer's frame holds one version only. */
    private static final int FIRST_RANGED_VERSION = 4;
    /** The largest handshake frame either side accepts; the first frame of a connection is bounded by it. */
    static final int MAX_FRAME_BYTES = 4096;

    private static final int MAX_TEXT_BYTES = 1024;
    private static final int REFUSED = 0xFF;
    private static final Role[] ROLES = Role.values();
    private static final Refusal[] REFUSALS = Refusal.values();

    /** What the sender of a handshake is. */
    public enum Role {
        /** A silo, connecting to or answering on the silo-to-silo port. */
        SILO,
        /** A silo answering a client on its gateway port. */
        GATEWAY,
        /** A cluster client connecting to a gateway: never probed, never in the membership table. */
        CLIENT
    }

    /** Why the accepting side refused a handshake: all it tells the connecting side. */
    public enum Refusal {
        /** The connecting side named another service id or cluster id. */
        OTHER_CLUSTER,
        /** Something other than a silo connected to the silo-to-silo port. */
        NOT_A_SILO,
        /** Something other than a cluster client connected to the gateway port. */
        NOT_A_CLIENT,
        /** The connecting silo meant another silo, or another generation of this one (it restarted). */
        OTHER_SILO,
        /** The connecting side speaks no protocol version this side does (the refusal carries this side's range). */
        UNSUPPORTED_VERSION
    }

    /** A handshake of a side that speaks this build's versions. */
    public Handshake(
            int protocolVersion,
            String serviceId,
            String clusterId,
            SiloAddress sender,
            Role role,
            @Nullable SiloAddress target) {
        this(protocolVersion, serviceId, clusterId, sender, role, target, MIN_PROTOCOL_VERSION);
    }

    /** A silo's handshake, naming no target. */
    public Handshake(int protocolVersion, String serviceId, String clusterId, SiloAddress sender) {
        this(protocolVersion, serviceId, clusterId, sender, Role.SILO, null);
    }

    Handshake withRole(Role newRole) {
        return new Handshake(protocolVersion, serviceId, clusterId, sender, newRole, target, minProtocolVersion);
    }

    Handshake withTarget(@Nullable SiloAddress newTarget) {
        return new Handshake(protocolVersion, serviceId, clusterId, sender, role, newTarget, minProtocolVersion);
    }

    /** The version a connection between this side and {@code peer} speaks: the highest both do. */
    int agreedVersion(Handshake peer) {
        return Math.min(protocolVersion, peer.protocolVersion);
    }

    public void writeTo(ByteBuf out) {
        out.writeInt(MAGIC);
        out.writeShort(protocolVersion);
        out.writeShort(minProtocolVersion);
        out.writeByte(role.ordinal());
        writeText(out, serviceId);
        writeText(out, clusterId);
        writeText(out, sender.toString());
        writeText(out, target == null ? "" : target.toString());
    }

    /**
     * Writes the answer to a refused handshake: the versions this side speaks (so that a peer of another
     * release can say which) and the reason, nothing else about the refusing side.
     */
    static void writeRefusal(ByteBuf out, Refusal reason) {
        out.writeInt(MAGIC);
        out.writeShort(PROTOCOL_VERSION);
        out.writeShort(MIN_PROTOCOL_VERSION);
        out.writeByte(REFUSED);
        out.writeByte(reason.ordinal());
    }

    /** A handshake frame as read: the peer's handshake, or the reason it refused ours. */
    record Received(@Nullable Handshake handshake, @Nullable Refusal refusal) {}

    /** Parses a handshake frame; throws {@link ProtocolException} for anything else. */
    static Received readFrom(ByteBuf in) {
        return readFrom(in, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION);
    }

    /**
     * Parses a handshake frame of a peer, for a side that speaks versions {@code localMin} to {@code localMax}.
     *
     * @throws UnsupportedVersionException if the peer's versions do not meet the local ones
     */
    static Received readFrom(ByteBuf in, int localMin, int localMax) {
        if (in.readableBytes() < 6 || in.readInt() != MAGIC) {
            throw new ProtocolException("not an Orleans silo handshake");
        }
        int version = in.readUnsignedShort();
        // Before version 4 a handshake held one version, and the rest of it may be laid out differently.
        int minVersion = version < FIRST_RANGED_VERSION ? version : readMinVersion(in, version);
        if (version < localMin || minVersion > localMax) {
            throw new UnsupportedVersionException(minVersion, version, localMin, localMax);
        }
        if (!in.isReadable()) {
            throw new ProtocolException("handshake is truncated");
        }
        int role = in.readUnsignedByte();
        if (role == REFUSED) {
            if (in.readableBytes() != 1) {
                throw new ProtocolException("malformed refusal");
            }
            int reason = in.readUnsignedByte();
            if (reason >= REFUSALS.length) {
                throw new ProtocolException("refusal names unknown reason " + reason);
            }
            return new Received(null, REFUSALS[reason]);
        }
        if (role >= ROLES.length) {
            throw new ProtocolException("handshake names unknown role " + role);
        }
        String serviceId = readText(in);
        String clusterId = readText(in);
        SiloAddress sender = readAddress(in, "silo address");
        String targetText = readText(in);
        @Nullable SiloAddress target = null;
        if (!targetText.isEmpty()) {
            target = parse(targetText, "target address");
        }
        if (in.isReadable()) {
            throw new ProtocolException("handshake frame has trailing bytes");
        }
        return new Received(
                new Handshake(version, serviceId, clusterId, sender, ROLES[role], target, minVersion), null);
    }

    private static int readMinVersion(ByteBuf in, int version) {
        if (in.readableBytes() < 2) {
            throw new ProtocolException("handshake is truncated");
        }
        int minVersion = in.readUnsignedShort();
        if (minVersion > version) {
            throw new ProtocolException("handshake names versions " + minVersion + " to " + version);
        }
        return minVersion;
    }

    /** Whether both sides belong to the same service and cluster. */
    boolean sameClusterAs(Handshake other) {
        return serviceId.equals(other.serviceId) && clusterId.equals(other.clusterId);
    }

    private static SiloAddress readAddress(ByteBuf in, String what) {
        return parse(readText(in), what);
    }

    private static SiloAddress parse(String text, String what) {
        try {
            return SiloAddress.parse(text);
        } catch (RuntimeException e) {
            throw new ProtocolException("handshake carries a malformed " + what);
        }
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
