package org.orleans4j.membership;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.testing.FileMembershipTable;
import org.orleans4j.testing.tck.MembershipTableContractTest;

/** The test-only file table that silo processes share passes the membership table contract. */
class FileMembershipTableTest extends MembershipTableContractTest {

    @TempDir
    Path directory;

    @Override
    protected MembershipTable newTable() {
        return new FileMembershipTable(directory.resolve("membership-" + UUID.randomUUID() + ".table"));
    }
}
