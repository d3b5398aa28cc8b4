package org.orleans4j.spring.directory;

import javax.sql.DataSource;
import org.orleans4j.testing.db.H2Databases;

/** The directory contract against an in-memory H2 database shared by this class. */
class H2JdbcGrainDirectoryTest extends JdbcGrainDirectoryTestBase {

    private static final DataSource DATA_SOURCE = H2Databases.inMemory("grain-directory");

    @Override
    protected DataSource dataSource() {
        return DATA_SOURCE;
    }
}
