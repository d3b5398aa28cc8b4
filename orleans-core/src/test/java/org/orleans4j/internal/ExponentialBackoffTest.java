package org.orleans4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {

    @Test
    void theWaitDoublesAfterEachFailureUpToTheCap() {
        ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofMillis(50), Duration.ofSeconds(1));
        assertThat(backoff.delayMillis(1)).isEqualTo(50);
        assertThat(backoff.delayMillis(2)).isEqualTo(100);
        assertThat(backoff.delayMillis(5)).isEqualTo(800);
        assertThat(backoff.delayMillis(6)).isEqualTo(1000);
        assertThat(backoff.delayMillis(Integer.MAX_VALUE)).isEqualTo(1000);
        assertThat(backoff.delayMillis(0)).isEqualTo(50);
    }

    @Test
    void aHugeInitialWaitDoesNotOverflow() {
        ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofDays(365), Duration.ofDays(3650));
        assertThat(backoff.delayMillis(40)).isEqualTo(Duration.ofDays(3650).toMillis());
    }

    @Test
    void jitterAddsAtMostItsShare() {
        ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofMillis(400), Duration.ofSeconds(10), 0.25);
        for (int i = 0; i < 1_000; i++) {
            assertThat(backoff.delayMillis(1)).isBetween(400L, 500L);
            assertThat(backoff.delay(2)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1000));
        }
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> new ExponentialBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("max");
        assertThatThrownBy(() -> new ExponentialBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("initial");
        assertThatThrownBy(() -> new ExponentialBackoff(Duration.ofMillis(1), Duration.ofSeconds(1), 1.5))
                .hasMessageContaining("jitter");
    }
}
