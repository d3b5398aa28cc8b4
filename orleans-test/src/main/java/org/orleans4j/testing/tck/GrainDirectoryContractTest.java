package org.orleans4j.testing.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.directory.GrainDirectory;
import org.orleans4j.grain.GrainId;

/** The contract every {@link GrainDirectory} passes (scenario names after Orleans' directory tests). */
public abstract class GrainDirectoryContractTest {

    private static final SiloAddress SILO_A = new SiloAddress("10.0.0.1", 11111, 1);
    private static final SiloAddress SILO_B = new SiloAddress("10.0.0.2", 11111, 1);

    protected abstract GrainDirectory directory();

    /** The silo of the entries registered; a directory that checks who registers may need its caller's own address. */
    protected SiloAddress siloA() {
        return SILO_A;
    }

    /** Another silo, for entries that must differ from {@link #siloA()}'s. */
    protected SiloAddress siloB() {
        return SILO_B;
    }

    private static GrainAddress address(GrainId id, SiloAddress silo) {
        return new GrainAddress(id, silo, UUID.randomUUID().toString());
    }

    private static GrainId newId() {
        return GrainId.ofString("directory", UUID.randomUUID().toString());
    }

    @Test
    void registerLookupUnregisterLookup() {
        GrainAddress address = address(newId(), siloA());
        assertThat(directory().register(address).join()).isEqualTo(address);
        assertThat(directory().lookup(address.grainId()).join()).isEqualTo(address);
        directory().unregister(address).join();
        assertThat(directory().lookup(address.grainId()).join()).isNull();
    }

    @Test
    void doNotOverwriteEntry() {
        GrainId id = newId();
        GrainAddress first = address(id, siloA());
        GrainAddress second = address(id, siloB());
        directory().register(first).join();
        assertThat(directory().register(second).join())
                .as("the first registration wins")
                .isEqualTo(first);
        assertThat(directory().lookup(id).join()).isEqualTo(first);
    }

    @Test
    void overwriteEntryIfMatch() {
        GrainId id = newId();
        GrainAddress first = address(id, siloA());
        GrainAddress second = address(id, siloB());
        GrainAddress third = address(id, siloA());
        directory().register(first).join();
        assertThat(directory().register(second, first).join()).isEqualTo(second);
        assertThat(directory().register(third, first).join())
                .as("previous no longer matches")
                .isEqualTo(second);
        assertThat(directory().lookup(id).join()).isEqualTo(second);
    }

    @Test
    void doNotDeleteDifferentActivationIdEntry() {
        GrainId id = newId();
        GrainAddress registered = address(id, siloA());
        directory().register(registered).join();
        directory().unregister(address(id, siloA())).join();
        assertThat(directory().lookup(id).join()).isEqualTo(registered);
    }

    @Test
    protected void unregisterSilosDropsOnlyTheirEntries() {
        GrainAddress onA = address(newId(), siloA());
        GrainAddress onB = address(newId(), siloB());
        directory().register(onA).join();
        directory().register(onB).join();
        directory().unregisterSilos(java.util.List.of(siloA())).join();
        assertThat(directory().lookup(onA.grainId()).join()).isNull();
        assertThat(directory().lookup(onB.grainId()).join()).isEqualTo(onB);
    }

    @Test
    void lookupNotFound() {
        assertThat(directory().lookup(newId()).join()).isNull();
    }
}
