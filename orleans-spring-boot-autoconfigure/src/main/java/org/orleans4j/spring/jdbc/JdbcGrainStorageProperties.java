package org.orleans4j.spring.jdbc;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * JDBC grain storage on the application's DataSource ({@code orleans.persistence.jdbc.*}).
 *
 * @param tableName Table holding grain state; a plain SQL identifier
 * @param initializeSchema Whether to create the table at startup when it does not exist
 * @param executorThreads Threads running the blocking JDBC calls, so grain turns never block;
 *        keep it at or below the connection pool size
 * @param readinessCheck Whether readiness follows the database: the {@code orleansStorage} health
 *        indicator, in the readiness group by default, is OUT_OF_SERVICE while the database does
 *        not answer a connection check within {@code orleans.jdbc.timeout}, and UP again from the
 *        first check it answers. Active grains keep serving reads from memory meanwhile and state
 *        writes fail, so a load balancer sends new work elsewhere. With {@code false} no check runs
 *        and the indicator stays UP
 * @param readinessCheckPeriod Time between the end of one database check and the start of the next;
 *        readiness turns OUT_OF_SERVICE at most this plus {@code orleans.jdbc.timeout} after the
 *        database stops answering, and UP at most about this long after it answers again
 */
@ConfigurationProperties("orleans.persistence.jdbc")
public record JdbcGrainStorageProperties(
        @DefaultValue("orleans_grain_state") String tableName,
        @DefaultValue("true") boolean initializeSchema,
        @DefaultValue("8") int executorThreads,
        @DefaultValue("true") boolean readinessCheck,
        @DefaultValue("2s") Duration readinessCheckPeriod) {

    public JdbcGrainStorageProperties {
        if (tableName == null || !tableName.matches("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?")) {
            throw new IllegalArgumentException("orleans.persistence.jdbc.table-name must be a plain SQL identifier "
                    + "(letters, digits, underscores; optionally schema.table), was '" + tableName + "'");
        }
        if (readinessCheckPeriod == null || readinessCheckPeriod.isZero() || readinessCheckPeriod.isNegative()) {
            throw new IllegalArgumentException("orleans.persistence.jdbc.readiness-check-period must be a positive "
                    + "duration, was " + readinessCheckPeriod);
        }
        if (executorThreads < 1) {
            throw new IllegalArgumentException(
                    "orleans.persistence.jdbc.executor-threads must be at least 1, was " + executorThreads);
        }
    }
}
