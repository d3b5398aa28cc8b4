package org.orleans4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.orleans4j.membership.MembershipEntry;
import org.orleans4j.membership.MembershipOptions;
import org.orleans4j.membership.SuspectVote;
import org.orleans4j.runtime.Silo;
import org.orleans4j.testing.TestCluster;

/**
 * Three silos in this JVM with the DEFAULT membership options (5 s probes, 3 missed, 2 votes), real
 * messaging on loopback: a killed silo's closed connections and refused port make the others suspect it,
 * probe it, ask each other to probe it over the wire, and vote it Dead long before three missed probes.
 */
class FailureDetectionTest {

    @Test
    void aKilledSiloIsDeadWithinOneProbePeriodWithTheDefaultOptions() {
        try (TestCluster cluster = TestCluster.builder()
                .silos(3)
                .membershipOptions(MembershipOptions.DEFAULT)
                .configure(b -> b.addGrainClass(ClusterGrains.NoteGrainImpl.class))
                .start()) {
            cluster.awaitActiveSilos(3, Duration.ofSeconds(30));
            Silo victim = cluster.silo(2);
            long kill = System.nanoTime();
            victim.kill();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> entry(cluster, victim).status() == SiloStatus.DEAD);
            long deadMillis = (System.nanoTime() - kill) / 1_000_000;
            for (Silo survivor : List.of(cluster.silo(0), cluster.silo(1))) {
                await().atMost(Duration.ofSeconds(2))
                        .until(() ->
                                survivor.membership().currentSnapshot().statusOf(victim.address()) == SiloStatus.DEAD);
            }
            long seenMillis = (System.nanoTime() - kill) / 1_000_000;
            System.out.println("MEASURED: in-JVM kill of 1 of 3 silos, default membership options: Dead written "
                    + deadMillis + " ms after the kill, seen by both survivors after " + seenMillis + " ms");
            assertThat(entry(cluster, victim).suspectVotes())
                    .extracting(SuspectVote::voter)
                    .containsExactlyInAnyOrder(
                            cluster.silo(0).address(), cluster.silo(1).address());
        }
    }

    private static MembershipEntry entry(TestCluster cluster, Silo silo) {
        return cluster.membershipTable()
                .readRow(silo.address())
                .join()
                .row(silo.address())
                .orElseThrow()
                .entry();
    }
}
