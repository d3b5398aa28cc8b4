package org.orleans4j.testing.db;

import java.util.Objects;
import javax.sql.DataSource;

/**
 * One database on the JVM's embedded PostgreSQL server (see {@link WithEmbeddedPostgres}): its name,
 * a {@link DataSource} for it, and the JDBC URL, user and password for another JVM or a Spring
 * {@code spring.datasource.*} property.
 */
public record PostgresDatabase(String name, DataSource dataSource, String jdbcUrl, String user, String password) {

    public PostgresDatabase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "PostgresDatabase[" + jdbcUrl + "]";
    }
}
