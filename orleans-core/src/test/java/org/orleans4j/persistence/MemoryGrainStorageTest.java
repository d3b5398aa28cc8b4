package org.orleans4j.persistence;

class MemoryGrainStorageTest extends GrainStorageContractTest {

    private final MemoryGrainStorage storage = new MemoryGrainStorage();

    @Override
    protected GrainStorage storage() {
        return storage;
    }
}
