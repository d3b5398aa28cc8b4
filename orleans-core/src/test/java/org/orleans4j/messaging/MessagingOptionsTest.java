package org.orleans4j.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MessagingOptionsTest {

    @Test
    void theEventLoopsLingerAHundredMicrosecondsByDefault() {
        assertThat(MessagingOptions.DEFAULT.eventLoopLinger()).isEqualTo(Duration.ofNanos(100_000));
    }

    @Test
    void aLingerOfZeroUpToOneMillisecondIsAccepted() {
        assertThat(MessagingOptions.DEFAULT.withEventLoopLinger(Duration.ZERO).eventLoopLinger())
                .isZero();
        assertThat(MessagingOptions.DEFAULT
                        .withEventLoopLinger(Duration.ofMillis(1))
                        .eventLoopLinger())
                .isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void aNegativeOrLongerLingerIsRefusedByName() {
        assertThatThrownBy(() -> MessagingOptions.DEFAULT.withEventLoopLinger(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventLoopLinger");
        assertThatThrownBy(() -> MessagingOptions.DEFAULT.withEventLoopLinger(Duration.ofNanos(1_000_001)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventLoopLinger")
                .hasMessageContaining("PT0.001S");
    }
}
