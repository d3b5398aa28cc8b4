package org.orleans4j.testing.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM's one embedded PostgreSQL server, started at the first {@link #shared()} and stopped when
 * the JVM exits (or when {@link EmbeddedPostgresExtension}'s test run ends). Each {@link
 * #newDatabase(String)} is a fresh, empty database on it, so test classes do not see each other's
 * tables. Tests that stop or freeze the server itself need a server of their own.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final String USER = "postgres";
    private static final Object LOCK = new Object();
    private static EmbeddedPostgresServer shared;

    private final EmbeddedPostgres postgres;
    private final AtomicInteger databases = new AtomicInteger();
    private volatile boolean closed;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** The JVM's server, started now if it is not running yet. */
    public static EmbeddedPostgresServer shared() {
        synchronized (LOCK) {
            if (shared == null || shared.closed) {
                try {
                    shared = new EmbeddedPostgresServer(
                            EmbeddedPostgres.builder().start());
                } catch (IOException e) {
                    throw new UncheckedIOException("embedded PostgreSQL did not start", e);
                }
                EmbeddedPostgresServer started = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(started::closeQuietly, "embedded-postgres-shutdown"));
            }
            return shared;
        }
    }

    /** A fresh, empty database on this server, named {@code prefix} and a number. */
    public PostgresDatabase newDatabase(String prefix) {
        String name = (sanitized(prefix) + "_" + databases.incrementAndGet()).toLowerCase();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        // 127.0.0.1, not localhost: the server listens on the IPv4 loopback; the user goes as a property.
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name;
        return new PostgresDatabase(name, postgres.getDatabase(USER, name), jdbcUrl, USER, "");
    }

    /** Drops a database made by {@link #newDatabase(String)}, closing what is still connected to it. */
    public void dropDatabase(PostgresDatabase database) {
        if (closed) {
            return;
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database.name() + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop database " + database.name(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        synchronized (LOCK) {
            if (closed) {
                return;
            }
            closed = true;
            postgres.close();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            // The JVM is exiting.
        }
    }

    private static String sanitized(String prefix) {
        String name = prefix.replaceAll("[^A-Za-z0-9_]", "_");
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            name = "db_" + name;
        }
        return name.length() > 40 ? name.substring(0, 40) : name;
    }
}
