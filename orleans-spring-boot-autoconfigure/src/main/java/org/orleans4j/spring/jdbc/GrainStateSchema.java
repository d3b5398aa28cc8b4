package org.orleans4j.spring.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Creates the grain state table with the DDL of the database product behind the DataSource. */
final class GrainStateSchema {

    private GrainStateSchema() {}

    static void create(DataSource dataSource, String table) {
        create(dataSource, table, JdbcTimeout.DEFAULT);
    }

    /** Bounded like every other statement of the storage, so a frozen database fails startup instead of hanging it. */
    static void create(DataSource dataSource, String table, JdbcTimeout timeout) {
        String product;
        try (Connection connection = timeout.guard(dataSource).getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not connect to create the grain state table '" + table + "'", e);
        }
        try {
            SchemaStatements.execute(
                    JdbcClient.create(timeout.template(dataSource)),
                    ddl().replace("${table}", table).replace("${payloadType}", payloadType(product)));
        } catch (DataAccessException e) {
            throw new IllegalStateException(
                    "Could not create the grain state table '" + table
                            + "'; create it yourself and set orleans.persistence.jdbc.initialize-schema=false",
                    e);
        }
    }

    /** The dialects differ only in the type of unbounded text. */
    private static String payloadType(String product) {
        String p = product.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return "TEXT";
        }
        if (p.contains("h2")) {
            return "CLOB";
        }
        throw new IllegalStateException("No grain state DDL for database '" + product
                + "' (supported: PostgreSQL, H2); create the table yourself and set "
                + "orleans.persistence.jdbc.initialize-schema=false");
    }

    private static String ddl() {
        try {
            return new ClassPathResource("org/orleans4j/spring/jdbc/grain-state.sql")
                    .getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Grain state DDL is missing from the classpath", e);
        }
    }
}
