package org.orleans4j.example.dictionary;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the real application on a free port with its H2 file in a temporary directory, talks to it
 * over HTTP, restarts it, and checks the definitions are still there.
 */
class DictionaryApplicationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;

    private ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--orleans.endpoints.silo-port=0",
                "--orleans.endpoints.gateway-port=0",
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("dictionary") + ";AUTO_SERVER=TRUE"));
        args.addAll(List.of(extra));
        return SpringApplication.run(DictionaryApplication.class, args.toArray(String[]::new));
    }

    private static String base(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return "http://127.0.0.1:" + port;
    }

    private HttpResponse<String> put(String base, String word, String definition) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + "/entries/" + word))
                        .header("Content-Type", "text/plain")
                        .PUT(HttpRequest.BodyPublishers.ofString(definition))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String base, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void definitionsAreServedAndSurviveARestart() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            String base = base(context);
            assertThat(get(base, "/entries/apple").statusCode()).isEqualTo(404);
            assertThat(put(base, "apple", "a fruit").statusCode()).isEqualTo(204);
            HttpResponse<String> read = get(base, "/entries/apple");
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).isEqualTo("a fruit");
            assertThat(put(base, "яблоко", "фрукт").statusCode()).isEqualTo(204);
            assertThat(get(base, "/actuator/health").body()).contains("\"status\":\"UP\"");
        }
        try (ConfigurableApplicationContext context = start()) {
            String base = base(context);
            assertThat(get(base, "/entries/apple").body()).isEqualTo("a fruit");
            assertThat(get(base, "/entries/%D1%8F%D0%B1%D0%BB%D0%BE%D0%BA%D0%BE")
                            .body())
                    .isEqualTo("фрукт");
            assertThat(put(base, "apple", "a red fruit").statusCode()).isEqualTo(204);
            assertThat(get(base, "/entries/apple").body()).isEqualTo("a red fruit");
        }
    }

    /** Lookups are counted in memory and written behind: by the timer, and when the silo stops. */
    @Test
    void lookupsAreCountedAndTheCountOutlivesARestart() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            String base = base(context);
            assertThat(put(base, "pear", "a fruit").statusCode()).isEqualTo(204);
            for (int i = 0; i < 3; i++) {
                assertThat(get(base, "/entries/pear").body()).isEqualTo("a fruit");
            }
            assertThat(get(base, "/entries/pear/lookups").body()).isEqualTo("3");
            assertThat(get(base, "/entries/plum/lookups").body()).isEqualTo("0");
        }
        try (ConfigurableApplicationContext context = start()) {
            String base = base(context);
            assertThat(get(base, "/entries/pear/lookups").body())
                    .as("written when the grain deactivated at shutdown")
                    .isEqualTo("3");
            get(base, "/entries/pear");
            assertThat(get(base, "/entries/pear/lookups").body()).isEqualTo("4");
        }
    }

    /** The write-behind timer writes the count while the grain stays active. */
    @Test
    void theTimerWritesTheLookupCountBehind() throws Exception {
        try (ConfigurableApplicationContext context = start("--dictionary.lookups-flush-period=200ms")) {
            String base = base(context);
            assertThat(put(base, "fig", "a fruit").statusCode()).isEqualTo(204);
            get(base, "/entries/fig");
            get(base, "/entries/fig");
            try (Connection db = DriverManager.getConnection(
                    "jdbc:h2:file:" + data.resolve("dictionary") + ";AUTO_SERVER=TRUE", "sa", "")) {
                org.awaitility.Awaitility.await()
                        .atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> {
                            try (PreparedStatement read = db.prepareStatement("SELECT payload FROM orleans_grain_state"
                                    + " WHERE grain_key = 'fig' AND state_name = 'lookups'")) {
                                try (ResultSet row = read.executeQuery()) {
                                    return row.next()
                                            && row.getString(1).replace(" ", "").equals("{\"count\":2}");
                                }
                            }
                        });
            }
        }
    }

    @Test
    void aWordUpToTheKeyLimitIsStoredAndALongerOneIsRefusedWithTheReason() throws Exception {
        String longest = "w".repeat(org.orleans4j.grain.GrainId.MAX_KEY_LENGTH);
        try (ConfigurableApplicationContext context = start()) {
            String base = base(context);
            assertThat(put(base, longest, "the longest word").statusCode()).isEqualTo(204);
            assertThat(get(base, "/entries/" + longest).body()).isEqualTo("the longest word");

            HttpResponse<String> refused = put(base, longest + "w", "one too long");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("grain key of 1001 characters exceeds the limit of 1000");
            assertThat(get(base, "/entries/" + longest + "w").statusCode()).isEqualTo(400);
        }
    }

    /**
     * A PUT whose database write fails answers an error, and the GET after it answers what the database
     * holds: the previous definition, or 404 for a word never stored. The failures are the database's own:
     * another transaction holds the row (or the new row's key) locked, so the write times out.
     */
    @Test
    void aPutWhoseWriteFailsLeavesTheStoredDefinitionServed() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            String base = base(context);
            assertThat(put(base, "pear", "a fruit").statusCode()).isEqualTo(204);
            try (Connection locker = DriverManager.getConnection(
                    "jdbc:h2:file:" + data.resolve("dictionary") + ";AUTO_SERVER=TRUE", "sa", "")) {
                locker.setAutoCommit(false);
                String grainType;
                try (Statement statement = locker.createStatement();
                        ResultSet row = statement.executeQuery("SELECT grain_type FROM orleans_grain_state "
                                + "WHERE grain_key = 'pear' AND state_name = 'entry' FOR UPDATE")) {
                    assertThat(row.next()).isTrue();
                    grainType = row.getString(1);
                }
                try (PreparedStatement insert = locker.prepareStatement("INSERT INTO orleans_grain_state "
                        + "(service_id, grain_type, grain_key, state_name, payload, version, modified_at) "
                        + "VALUES ('dictionary', ?, 'plum', 'entry', NULL, 1, CURRENT_TIMESTAMP)")) {
                    insert.setString(1, grainType);
                    insert.executeUpdate();
                }

                HttpResponse<String> failed = put(base, "pear", "a vegetable");
                assertThat(failed.statusCode()).as(failed.body()).isEqualTo(500);
                HttpResponse<String> read = get(base, "/entries/pear");
                assertThat(read.statusCode()).isEqualTo(200);
                assertThat(read.body())
                        .as("the stored definition, not the one whose write failed")
                        .isEqualTo("a fruit");

                assertThat(put(base, "plum", "a stone fruit").statusCode()).isEqualTo(500);
                assertThat(get(base, "/entries/plum").statusCode())
                        .as("never stored")
                        .isEqualTo(404);
                locker.rollback();
            }
            assertThat(put(base, "pear", "a vegetable").statusCode()).isEqualTo(204);
            assertThat(get(base, "/entries/pear").body()).isEqualTo("a vegetable");
            assertThat(put(base, "plum", "a stone fruit").statusCode()).isEqualTo(204);
            assertThat(get(base, "/entries/plum").body()).isEqualTo("a stone fruit");
        }
    }
}
