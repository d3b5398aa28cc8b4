package org.orleans4j.testing.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithEmbeddedPostgres
class WithEmbeddedPostgresTest {

    private static PostgresDatabase beforeAll;

    @BeforeAll
    static void start(PostgresDatabase database) throws Exception {
        beforeAll = database;
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE greeting (word VARCHAR(20))");
            statement.execute("INSERT INTO greeting VALUES ('hello')");
        }
    }

    @Test
    void aTestMethodGetsItsClasssDatabase(PostgresDatabase database) throws Exception {
        assertThat(database).isEqualTo(beforeAll);
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT word FROM greeting")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("hello");
        }
        assertThat(database.name()).startsWith("withembeddedpostgrestest_");
        assertThat(database.jdbcUrl()).endsWith("/" + database.name());
    }

    @Test
    void anotherDatabaseOnTheServerIsEmpty() throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.shared();
        PostgresDatabase other = server.newDatabase("other");
        try (Connection connection = other.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'greeting'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isZero();
        } finally {
            server.dropDatabase(other);
        }
        assertThat(other.name()).isNotEqualTo(beforeAll.name());
    }
}
