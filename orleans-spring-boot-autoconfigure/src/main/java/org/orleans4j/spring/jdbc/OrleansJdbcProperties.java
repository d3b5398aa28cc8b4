package org.orleans4j.spring.jdbc;

import java.time.Duration;
import org.orleans4j.internal.OptionChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The runtime's own use of the application's database ({@code orleans.jdbc.*}): the membership table,
 * the JDBC grain directory and the JDBC grain storage.
 *
 * @param timeout Longest wait for one database call of the runtime: the statement's query timeout
 *        (rounded up to whole seconds), the caller's wait for the result, and (doubled) the socket
 *        read timeout of the connection while the runtime uses it. A call that exceeds it fails with
 *        an error naming what failed; a membership step that fails runs again at its next period. The
 *        default is the default probe timeout, so a frozen database holds up the membership protocol
 *        no longer than one probe period per table call
 */
@ConfigurationProperties("orleans.jdbc")
public record OrleansJdbcProperties(@DefaultValue("5s") Duration timeout) {

    public OrleansJdbcProperties {
        OptionChecks.requirePositive(timeout, "orleans.jdbc.timeout");
    }

    /** The timeout as the JDBC classes take it. */
    public JdbcTimeout jdbcTimeout() {
        return new JdbcTimeout(timeout);
    }
}
