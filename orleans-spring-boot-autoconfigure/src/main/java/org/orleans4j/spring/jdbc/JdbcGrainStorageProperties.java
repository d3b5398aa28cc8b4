package org.orleans4j.spring.jdbc;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * JDBC grain storage on the application's DataSource ({@code orleans.persistence.jdbc.*}).
 *
 * @param tableName Table holding grain state; a plain SQL identifier
 * @param initializeSchema Whether to create the table at startup when it does not exist
 * @param executorThreads Threads running the blocking JDBC calls, so grain turns never block;
 *        keep it at or below the connection pool size
 */
@ConfigurationProperties("orleans.persistence.jdbc")
public record JdbcGrainStorageProperties(@DefaultValue("orleans_grain_state") String tableName,
        @DefaultValue("true") boolean initializeSchema, @DefaultValue("8") int executorThreads) {

    public JdbcGrainStorageProperties {
        if (tableName == null || !tableName.matches("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?")) {
            throw new IllegalArgumentException("orleans.persistence.jdbc.table-name must be a plain SQL identifier "
                    + "(letters, digits, underscores; optionally schema.table), was '" + tableName + "'");
        }
        if (executorThreads < 1) {
            throw new IllegalArgumentException(
                    "orleans.persistence.jdbc.executor-threads must be at least 1, was " + executorThreads);
        }
    }
}
