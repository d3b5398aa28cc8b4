package org.orleans4j.testing.db;

import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/**
 * In-memory H2 databases for tests, each with a name of its own (a prefix and a random UUID) so
 * that test classes and Spring contexts in one JVM never share one by accident. {@code
 * DB_CLOSE_DELAY=-1} keeps the database for the JVM's life, not only while a connection is open.
 */
public final class H2Databases {

    private H2Databases() {}

    /** A fresh in-memory database's URL: {@code jdbc:h2:mem:<prefix>-<uuid>;DB_CLOSE_DELAY=-1}. */
    public static String url(String prefix) {
        return "jdbc:h2:mem:" + prefix + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    /** A {@code spring.datasource.url} property for a fresh in-memory database. */
    public static String springDataSourceUrl(String prefix) {
        return "spring.datasource.url=" + url(prefix);
    }

    /** A data source for a fresh in-memory database. */
    public static JdbcDataSource inMemory(String prefix) {
        return dataSource(url(prefix));
    }

    /** A data source for {@code url}. */
    public static JdbcDataSource dataSource(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        return dataSource;
    }
}
