package org.orleans4j.testing.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class H2DatabasesTest {

    @Test
    void eachDatabaseHasANameOfItsOwnAndOutlivesItsConnections() throws Exception {
        assertThat(H2Databases.url("x")).startsWith("jdbc:h2:mem:x-").endsWith(";DB_CLOSE_DELAY=-1");
        assertThat(H2Databases.url("x")).isNotEqualTo(H2Databases.url("x"));
        assertThat(H2Databases.springDataSourceUrl("y")).startsWith("spring.datasource.url=jdbc:h2:mem:y-");

        DataSource dataSource = H2Databases.inMemory("kept");
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (id INT)");
        }
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isZero();
        }
    }
}
