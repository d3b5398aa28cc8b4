package org.orleans4j.spring.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.testing.db.PostgresDatabase;
import org.orleans4j.testing.db.WithEmbeddedPostgres;
import org.orleans4j.testing.tck.GrainStorageContractTest;
import tools.jackson.databind.json.JsonMapper;

/** The storage contract against a real PostgreSQL server (the JVM's embedded one, a database of this class's own). */
@WithEmbeddedPostgres
class PostgresJdbcGrainStorageTest extends GrainStorageContractTest {

    private static JdbcGrainStorage storage;

    @BeforeAll
    static void start(PostgresDatabase database) {
        GrainStateSchema.create(database.dataSource(), "orleans_grain_state");
        storage = new JdbcGrainStorage(
                database.dataSource(),
                "svc",
                "orleans_grain_state",
                new JacksonGrainStateSerializer(JsonMapper.builder().build()),
                4);
    }

    @AfterAll
    static void stop() {
        if (storage != null) {
            storage.destroy();
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
