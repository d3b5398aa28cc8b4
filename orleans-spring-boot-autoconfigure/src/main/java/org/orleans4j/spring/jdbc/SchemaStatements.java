package org.orleans4j.spring.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Runs {@code CREATE ... IF NOT EXISTS} statements of the runtime's tables. Silos of a new cluster
 * start together, and PostgreSQL lets two concurrent {@code CREATE TABLE IF NOT EXISTS} collide on
 * its catalog (a unique violation): the loser runs the statement again, and then the table exists.
 */
public final class SchemaStatements {

    private static final int ATTEMPTS = 3;

    private SchemaStatements() {}

    /** Runs each {@code ;}-separated statement of the classpath script {@code resource}. */
    public static void executeScript(JdbcClient jdbc, String resource) {
        String ddl;
        try {
            ddl = new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("The DDL script " + resource + " is missing from the classpath", e);
        }
        for (String statement : ddl.split(";")) {
            if (!statement.isBlank()) {
                execute(jdbc, statement);
            }
        }
    }

    public static void execute(JdbcClient jdbc, String statement) {
        for (int attempt = 1; ; attempt++) {
            try {
                jdbc.sql(statement).update();
                return;
            } catch (DataAccessException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
