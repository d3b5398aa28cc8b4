package org.orleans4j.spring.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JdbcTimeoutTest {

    @Test
    void theQueryTimeoutIsInWholeSecondsRoundedUpAndNeverZero() {
        assertThat(new JdbcTimeout(Duration.ofSeconds(5)).queryTimeoutSeconds()).isEqualTo(5);
        assertThat(new JdbcTimeout(Duration.ofMillis(1500)).queryTimeoutSeconds())
                .isEqualTo(2);
        assertThat(new JdbcTimeout(Duration.ofMillis(100)).queryTimeoutSeconds())
                .as("0 would mean none")
                .isEqualTo(1);
    }

    @Test
    void theNetworkTimeoutIsTwiceTheBoundSoALiveServerAnswersTheCancelFirst() {
        assertThat(new JdbcTimeout(Duration.ofSeconds(5)).networkTimeoutMillis())
                .isEqualTo(10_000);
        assertThat(new JdbcTimeout(Duration.ofDays(365)).networkTimeoutMillis()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void itPrintsAsAPropertyValue() {
        assertThat(JdbcTimeout.DEFAULT).hasToString("5s");
        assertThat(new JdbcTimeout(Duration.ofMillis(1500))).hasToString("1500ms");
    }

    @Test
    void aTimeoutThatIsNotPositiveIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new JdbcTimeout(Duration.ZERO))
                .hasMessage("orleans.jdbc.timeout must be a positive duration, was PT0S");
        assertThatThrownBy(() -> new JdbcTimeout(null)).hasMessageContaining("orleans.jdbc.timeout");
    }
}
