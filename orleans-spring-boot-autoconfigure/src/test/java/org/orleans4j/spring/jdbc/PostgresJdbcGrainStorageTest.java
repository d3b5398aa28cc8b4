package org.orleans4j.spring.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.testing.tck.GrainStorageContractTest;
import tools.jackson.databind.json.JsonMapper;

/** The storage contract against a real PostgreSQL server started for this class. */
class PostgresJdbcGrainStorageTest extends GrainStorageContractTest {

    private static EmbeddedPostgres postgres;
    private static JdbcGrainStorage storage;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        GrainStateSchema.create(postgres.getPostgresDatabase(), "orleans_grain_state");
        storage = new JdbcGrainStorage(
                postgres.getPostgresDatabase(),
                "svc",
                "orleans_grain_state",
                new JacksonGrainStateSerializer(JsonMapper.builder().build()),
                4);
    }

    @AfterAll
    static void stop() throws IOException {
        if (storage != null) {
            storage.destroy();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected boolean storesCopies() {
        return true;
    }

    @Override
    protected GrainStorage storage() {
        return storage;
    }
}
