package org.orleans4j.spring.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.core.io.ClassPathResource;

/** Creates the grain state table with the DDL of the database product behind the DataSource. */
final class GrainStateSchema {

    private GrainStateSchema() {
    }

    static void create(DataSource dataSource, String table) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            String product = connection.getMetaData().getDatabaseProductName();
            statement.execute(ddl(product).replace("${table}", table));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the grain state table '" + table
                    + "'; create it yourself and set orleans.persistence.jdbc.initialize-schema=false", e);
        }
    }

    private static String ddl(String product) {
        String p = product.toLowerCase(Locale.ROOT);
        String dialect = p.contains("postgres") ? "postgresql" : p.contains("h2") ? "h2" : null;
        if (dialect == null) {
            throw new IllegalStateException("No grain state DDL for database '" + product
                    + "' (supported: PostgreSQL, H2); create the table yourself and set "
                    + "orleans.persistence.jdbc.initialize-schema=false");
        }
        try {
            return new ClassPathResource("org/orleans4j/spring/jdbc/grain-state-" + dialect + ".sql")
                    .getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Grain state DDL for " + dialect + " is missing from the classpath", e);
        }
    }
}
