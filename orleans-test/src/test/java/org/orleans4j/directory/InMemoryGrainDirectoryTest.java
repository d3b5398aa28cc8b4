package org.orleans4j.directory;

import org.orleans4j.testing.tck.GrainDirectoryContractTest;

class InMemoryGrainDirectoryTest extends GrainDirectoryContractTest {

    private final InMemoryGrainDirectory directory = new InMemoryGrainDirectory();

    @Override
    protected GrainDirectory directory() {
        return directory;
    }
}
