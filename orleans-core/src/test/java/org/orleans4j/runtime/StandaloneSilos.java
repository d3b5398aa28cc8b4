package org.orleans4j.runtime;

import java.time.Duration;
import java.util.function.Consumer;
import org.orleans4j.catalog.GrainCollectionOptions;
import org.orleans4j.catalog.internal.GrainStorageRegistry;
import org.orleans4j.persistence.MemoryGrainStorage;

/** Builds started silos on their own (no cluster, in-memory storage) for tests, with short timings where a test needs them. */
final class StandaloneSilos {

    private StandaloneSilos() {}

    static Silo start(Consumer<SiloBuilder> configure) {
        SiloBuilder builder = Silo.builder()
                .siloOptions(new SiloOptions("test-silo", null))
                .endpointOptions(new EndpointOptions(11111, 30000, "127.0.0.1", null))
                .storage(GrainStorageRegistry.DEFAULT_NAME, new MemoryGrainStorage());
        configure.accept(builder);
        Silo silo = builder.build();
        silo.start();
        return silo;
    }

    static GrainCollectionOptions collection(Duration age, Duration quantum, Duration activationTimeout) {
        return new GrainCollectionOptions(age, quantum, activationTimeout, Duration.ofSeconds(5));
    }
}
