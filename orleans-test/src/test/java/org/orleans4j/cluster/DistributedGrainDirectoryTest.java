package org.orleans4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orleans4j.directory.GrainDirectory;
import org.orleans4j.directory.internal.DistributedGrainDirectory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.messaging.Rejection;
import org.orleans4j.messaging.UnauthorizedRequestException;
import org.orleans4j.testing.TestCluster;
import org.orleans4j.testing.tck.GrainDirectoryContractTest;

/**
 * The directory contract against the distributed directory of a three-silo cluster: entries are
 * spread over the silos' partitions, and every operation through one silo reaches their owners.
 */
class DistributedGrainDirectoryTest extends GrainDirectoryContractTest {

    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.builder()
                .silos(3)
                .configure(b -> b.addGrainClass(ClusterGrains.NoteGrainImpl.class))
                .start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected GrainDirectory directory() {
        return cluster.silo(0).grainDirectory();
    }

    /** Silo 0 makes every call: the owners accept entries that name the silo that registers them. */
    @Override
    protected SiloAddress siloA() {
        return cluster.silo(0).address();
    }

    @Override
    protected SiloAddress siloB() {
        return cluster.silo(0).address();
    }

    /** Owners drop the entries of silos the membership lists as Dead only: silo 1 is alive, so they refuse. */
    @Override
    @Test
    protected void unregisterSilosDropsOnlyTheirEntries() {
        long refusedBefore = refusedByAll();
        GrainAddress entry = new GrainAddress(GrainId.ofString("directory", "kept"), siloA(), "a");
        directory().register(entry).join();
        assertThatThrownBy(() -> directory()
                        .unregisterSilos(List.of(cluster.silo(1).address()))
                        .join())
                .hasMessageContaining(UnauthorizedRequestException.class.getName())
                .hasMessageContaining("does not list as Dead");
        assertThat(directory().lookup(entry.grainId()).join()).isEqualTo(entry);
        assertThat(refusedByAll()).isGreaterThan(refusedBefore);
    }

    @Test
    void anEntryNamingAnotherSiloIsRefusedByItsOwner() {
        long refusedBefore = refusedByAll();
        SiloAddress elsewhere = new SiloAddress("10.0.0.9", 11111, 1);
        List<Throwable> refusals = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            GrainAddress forged = new GrainAddress(GrainId.ofString("forged", "k" + i), elsewhere, "a" + i);
            try {
                directory().register(forged).join();
            } catch (RuntimeException e) {
                refusals.add(e);
                assertThat(directory().lookup(forged.grainId()).join()).isNull();
            }
        }
        // Entries silo 0 owns itself are its own business; those owned by silos 1 and 2 are refused.
        assertThat(refusals)
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e)
                        .hasMessageContaining(UnauthorizedRequestException.class.getName())
                        .hasMessageContaining("a silo registers its own activations"));
        assertThat(refusedByAll() - refusedBefore).isEqualTo(refusals.size());
    }

    private static long refusedByAll() {
        long sum = 0;
        for (int s = 0; s < 3; s++) {
            sum += cluster.silo(s).messagingStatistics().rejected(Rejection.UNAUTHORIZED_REQUEST);
        }
        return sum;
    }

    @Test
    void entriesAreSpreadOverThePartitionsOfAllSilos() {
        for (int i = 0; i < 300; i++) {
            directory()
                    .register(new org.orleans4j.cluster.GrainAddress(
                            org.orleans4j.grain.GrainId.ofString("spread", "k" + i), siloA(), "a" + i))
                    .join();
        }
        for (int s = 0; s < 3; s++) {
            DistributedGrainDirectory partition =
                    (DistributedGrainDirectory) cluster.silo(s).grainDirectory();
            assertThat(partition.partitionSize())
                    .as("entries owned by silo %d", s)
                    .isPositive();
            assertThat(cluster.silo(s)
                            .grainDirectory()
                            .lookup(org.orleans4j.grain.GrainId.ofString("spread", "k7"))
                            .join())
                    .isNotNull();
        }
    }
}
