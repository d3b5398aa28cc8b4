package org.orleans4j.grain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GrainIdTest {

    @Test
    void keysAndTypesUpToTheColumnLimitsAreAcceptedLongerOnesRefusedWithTheLimit() {
        assertThat(GrainId.ofString("entry", "k".repeat(GrainId.MAX_KEY_LENGTH)).key())
                .hasSize(1000);
        assertThatThrownBy(() -> GrainId.ofString("entry", "k".repeat(GrainId.MAX_KEY_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("grain key of 1001 characters exceeds the limit of 1000");
        assertThat(GrainId.ofString("t".repeat(GrainId.MAX_TYPE_LENGTH), "k").type())
                .hasSize(150);
        assertThatThrownBy(() -> GrainId.ofString("t".repeat(GrainId.MAX_TYPE_LENGTH + 1), "k"))
                .hasMessageContaining("grain type name of 151 characters exceeds the limit of 150");
        assertThatThrownBy(() -> GrainId.ofString("", "k")).hasMessageContaining("must not be empty");
    }

    @Test
    void theLongestKeyFitsTheWireInAnyScript() {
        // 1000 characters of a script of 3 UTF-8 bytes each: 3000 bytes, under the wire's 4096-byte text limit.
        GrainId id = GrainId.ofString("entry", "語".repeat(GrainId.MAX_KEY_LENGTH));
        io.netty.buffer.ByteBuf buffer = io.netty.buffer.Unpooled.buffer();
        org.orleans4j.messaging.internal.MessageCodec.encode(
                new org.orleans4j.messaging.internal.Message(
                        org.orleans4j.messaging.internal.Message.Direction.ONE_WAY,
                        0,
                        id,
                        null,
                        null,
                        new org.orleans4j.cluster.SiloAddress("127.0.0.1", 1, 1),
                        "I",
                        0,
                        0,
                        0,
                        false,
                        org.orleans4j.messaging.internal.Message.OK,
                        new byte[0]),
                buffer);
        assertThat(org.orleans4j.messaging.internal.MessageCodec.decode(buffer).targetGrain())
                .isEqualTo(id);
    }
}
