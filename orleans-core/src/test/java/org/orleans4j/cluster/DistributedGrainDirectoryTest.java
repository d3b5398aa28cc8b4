package org.orleans4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orleans4j.directory.DistributedGrainDirectory;
import org.orleans4j.directory.GrainDirectory;
import org.orleans4j.directory.GrainDirectoryContractTest;
import org.orleans4j.testing.TestCluster;

/**
 * The directory contract against the distributed directory of a three-silo cluster: entries are
 * spread over the silos' partitions, and every operation through one silo reaches their owners.
 */
class DistributedGrainDirectoryTest extends GrainDirectoryContractTest {

    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.builder().silos(3).configure(b -> b.addGrainClass(ClusterGrains.NoteGrainImpl.class)).start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected GrainDirectory directory() {
        return cluster.silo(0).grainDirectory();
    }

    @Test
    void entriesAreSpreadOverThePartitionsOfAllSilos() {
        for (int i = 0; i < 300; i++) {
            directory().register(new org.orleans4j.directory.GrainAddress(
                    org.orleans4j.grain.GrainId.ofString("spread", "k" + i),
                    new org.orleans4j.runtime.SiloAddress("10.0.0.9", 11111, 1), "a" + i)).join();
        }
        for (int s = 0; s < 3; s++) {
            DistributedGrainDirectory partition = (DistributedGrainDirectory) cluster.silo(s).grainDirectory();
            assertThat(partition.partitionSize()).as("entries owned by silo %d", s).isPositive();
            assertThat(cluster.silo(s).grainDirectory().lookup(org.orleans4j.grain.GrainId.ofString("spread", "k7")).join())
                    .isNotNull();
        }
    }
}
