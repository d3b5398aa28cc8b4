package org.orleans4j.spring.directory;

import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** The directory contract against an in-memory H2 database shared by this class. */
class H2JdbcGrainDirectoryTest extends JdbcGrainDirectoryTestBase {

    private static final JdbcDataSource DATA_SOURCE = new JdbcDataSource();

    static {
        DATA_SOURCE.setURL("jdbc:h2:mem:grain-directory-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @Override
    protected DataSource dataSource() {
        return DATA_SOURCE;
    }
}
