package org.orleans4j.spring.jdbc;

import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The bound of one database call of the runtime ({@code orleans.jdbc.timeout}) and the settings it
 * becomes. A statement's query timeout lets a live but slow server cancel it; a frozen server answers
 * no cancel, so the caller's wait is bounded separately ({@link BoundedJdbcExecutor}) and the socket
 * read timeout of the connection ({@link NetworkTimeoutDataSource}) frees the thread that waits.
 *
 * @param value the longest wait for one call
 */
public record JdbcTimeout(Duration value) {

    /** Used where no timeout is configured: the default of {@code orleans.jdbc.timeout}. */
    public static final JdbcTimeout DEFAULT = new JdbcTimeout(Duration.ofSeconds(5));

    /** Named in error messages, so a reader knows what to change. */
    public static final String PROPERTY = "orleans.jdbc.timeout";

    public JdbcTimeout {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(PROPERTY + " must be a positive duration, was " + value);
        }
    }

    /** JDBC counts query timeouts in whole seconds: rounded up, so never 0 (which means none). */
    public int queryTimeoutSeconds() {
        long seconds = value.getSeconds() + (value.getNano() > 0 ? 1 : 0);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, seconds));
    }

    /**
     * The socket read timeout while the runtime holds a connection: twice the bound, so that on a
     * live server the query timeout's cancel comes first and the connection survives; only a server
     * that sends nothing at all for that long loses the connection.
     */
    public int networkTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, value.multipliedBy(2).toMillis());
    }

    /** A template whose statements carry the query timeout, on connections with the network timeout. */
    public JdbcTemplate template(DataSource dataSource) {
        JdbcTemplate template = new JdbcTemplate(guard(dataSource));
        template.setQueryTimeout(queryTimeoutSeconds());
        return template;
    }

    /** {@code dataSource} handing out connections with the network timeout while they are used. */
    public DataSource guard(DataSource dataSource) {
        return dataSource instanceof NetworkTimeoutDataSource guarded
                        && guarded.networkTimeoutMillis() == networkTimeoutMillis()
                ? guarded
                : new NetworkTimeoutDataSource(dataSource, networkTimeoutMillis());
    }

    /** As a user writes it in {@code application.yml}: {@code 5s}, {@code 1500ms}. */
    @Override
    public String toString() {
        long millis = value.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
