package org.orleans4j.directory;

class InMemoryGrainDirectoryTest extends GrainDirectoryContractTest {

    private final InMemoryGrainDirectory directory = new InMemoryGrainDirectory();

    @Override
    protected GrainDirectory directory() {
        return directory;
    }
}
