package org.orleans4j.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.SiloAddress;

/** Peers of neighbouring releases agree on a version; peers too far apart are refused, both ranges named. */
class HandshakeVersionsTest {

    private static final SiloAddress SENDER = new SiloAddress("127.0.0.1", 11111, 5);

    private static Handshake speaking(int min, int max) {
        return new Handshake(max, "svc", "blue", SENDER, Handshake.Role.SILO, null, min);
    }

    private static ByteBuf written(Handshake handshake) {
        ByteBuf frame = Unpooled.buffer();
        handshake.writeTo(frame);
        return frame;
    }

    @Test
    void aHandshakeCarriesTheRangeItsSenderSpeaks() {
        Handshake read = Handshake.readFrom(written(speaking(4, 6)), 4, 9).handshake();
        assertThat(read.minProtocolVersion()).isEqualTo(4);
        assertThat(read.protocolVersion()).isEqualTo(6);
        assertThat(speaking(4, 9).agreedVersion(read))
                .as("the highest both speak")
                .isEqualTo(6);
        assertThat(read.sender()).isEqualTo(SENDER);
    }

    @Test
    void thisBuildReadsItsOwnHandshake() {
        Handshake own = new Handshake(Handshake.PROTOCOL_VERSION, "svc", "blue", SENDER);
        Handshake read = Handshake.readFrom(written(own)).handshake();
        assertThat(read).isEqualTo(own);
        assertThat(read.minProtocolVersion()).isEqualTo(Handshake.MIN_PROTOCOL_VERSION);
    }

    @Test
    void overlappingRangesAreAcceptedFromEitherSide() {
        assertThat(Handshake.readFrom(written(speaking(5, 7)), 4, 5).handshake())
                .isNotNull();
        assertThat(Handshake.readFrom(written(speaking(3, 4)), 4, 5).handshake())
                .isNotNull();
    }

    @Test
    void rangesThatDoNotMeetAreRefusedNamingBoth() {
        assertThatThrownBy(() -> Handshake.readFrom(written(speaking(6, 7)), 4, 5))
                .isInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("peer speaks protocol versions 6 to 7, this side 4 to 5");
        assertThatThrownBy(() -> Handshake.readFrom(written(speaking(4, 4)), 5, 5))
                .isInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("peer speaks protocol versions 4, this side 5");
    }

    @Test
    void aHandshakeOfABuildBeforeRangesIsRefusedByItsOneVersion() {
        // Version 3's layout: magic, version, role, texts; no second version field.
        ByteBuf frame = Unpooled.buffer();
        frame.writeInt(Handshake.MAGIC);
        frame.writeShort(3);
        frame.writeByte(Handshake.Role.SILO.ordinal());
        for (String text : new String[] {"svc", "blue", SENDER.toString(), ""}) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            frame.writeShort(bytes.length);
            frame.writeBytes(bytes);
        }
        assertThatThrownBy(() -> Handshake.readFrom(frame))
                .isInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("peer speaks protocol versions 3, this side " + Handshake.MIN_PROTOCOL_VERSION
                        + " to " + Handshake.PROTOCOL_VERSION);
    }

    @Test
    void aRangeUpsideDownIsMalformed() {
        ByteBuf frame = Unpooled.buffer();
        frame.writeInt(Handshake.MAGIC);
        frame.writeShort(5);
        frame.writeShort(9);
        assertThatThrownBy(() -> Handshake.readFrom(frame, 4, 9))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("versions 9 to 5");
    }

    @Test
    void aRefusalCarriesTheRefusingSidesVersions() {
        ByteBuf frame = Unpooled.buffer();
        Handshake.writeRefusal(frame, Handshake.Refusal.UNSUPPORTED_VERSION);
        assertThat(Handshake.readFrom(frame).refusal()).isEqualTo(Handshake.Refusal.UNSUPPORTED_VERSION);
        ByteBuf again = Unpooled.buffer();
        Handshake.writeRefusal(again, Handshake.Refusal.OTHER_CLUSTER);
        assertThatThrownBy(
                        () -> Handshake.readFrom(again, Handshake.PROTOCOL_VERSION + 1, Handshake.PROTOCOL_VERSION + 2))
                .as("a refusal from a build too old names its versions too")
                .isInstanceOf(UnsupportedVersionException.class);
    }
}
