package org.orleans4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.ClusterGrains.CountedGrain;
import org.orleans4j.cluster.ClusterGrains.HashedGrain;
import org.orleans4j.cluster.ClusterGrains.NoteGrain;
import org.orleans4j.cluster.ClusterGrains.WorkerGrain;
import org.orleans4j.directory.internal.DirectoryRing;
import org.orleans4j.directory.internal.DistributedGrainDirectory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.RequestContext;
import org.orleans4j.placement.PlacementHint;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloBuilder;
import org.orleans4j.testing.TestCluster;

/** Three silos in this JVM over real loopback messaging: calls, single activation, placement, recovery. */
class ClusterTest {

    private TestCluster cluster;

    private TestCluster start(int silos) {
        return start(silos, b -> {});
    }

    private TestCluster start(int silos, Consumer<SiloBuilder> extra) {
        cluster = TestCluster.builder()
                .silos(silos)
                .configure(b -> {
                    b.addGrainClass(ClusterGrains.NoteGrainImpl.class)
                            .addGrainClass(ClusterGrains.CountedGrainImpl.class)
                            .addGrainClass(ClusterGrains.HashedGrainImpl.class)
                            .addGrainClass(ClusterGrains.WorkerGrainImpl.class);
                    extra.accept(b);
                })
                .start();
        return cluster;
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static GrainId noteId(String key) {
        return GrainId.ofString("NoteGrainImpl", key);
    }

    @Test
    void aGrainCalledThroughEverySiloHasOneActivation() {
        start(3);
        for (int i = 0; i < 30; i++) {
            String key = "word-" + i;
            List<CompletableFuture<String>> ids = new ArrayList<>();
            for (Silo silo : cluster.silos()) {
                ids.add(silo.grainFactory().getGrain(NoteGrain.class, key).activationId());
            }
            List<String> seen =
                    ids.stream().map(CompletableFuture::join).distinct().toList();
            assertThat(seen)
                    .as("activation ids of %s seen through 3 silos", key)
                    .hasSize(1);
            assertThat(cluster.silosHosting(GrainId.ofString(
                            cluster.silo(0)
                                    .grainTypes()
                                    .implementationOf(NoteGrain.class)
                                    .typeName(),
                            key)))
                    .hasSize(1);
        }
    }

    @Test
    void concurrentFirstCallsFromAllSilosStillMakeOneActivation() {
        start(3);
        String type =
                cluster.silo(0).grainTypes().implementationOf(NoteGrain.class).typeName();
        for (int round = 0; round < 20; round++) {
            String key = "race-" + round;
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(cluster.grainFactory(i % 3)
                        .getGrain(NoteGrain.class, key)
                        .activationId());
            }
            assertThat(calls.stream().map(CompletableFuture::join).distinct().count())
                    .isEqualTo(1);
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            cluster.silosHosting(GrainId.ofString(type, key)).size() == 1);
        }
    }

    @Test
    void stateArgumentsResultsAndFailuresCrossSilos() {
        start(2);
        NoteGrain viaFirst = cluster.grainFactory(0).getGrain(NoteGrain.class, "apple");
        NoteGrain viaSecond = cluster.grainFactory(1).getGrain(NoteGrain.class, "apple");
        assertThat(viaFirst.write("a fruit").join()).isEqualTo(new ClusterGrains.Note("a fruit", 1));
        assertThat(viaSecond.read().join()).isEqualTo(new ClusterGrains.Note("a fruit", 1));
        assertThatThrownBy(() -> viaSecond.fail("no such thing").join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .hasRootCauseMessage("no such thing");
        assertThat(viaFirst.fail("again")).failsWithin(Duration.ofSeconds(5));
    }

    @Test
    void grainToGrainCallsAcrossSilosContinueOnTheCallersTurn() {
        start(3);
        for (int i = 0; i < 20; i++) {
            cluster.grainFactory(i % 3)
                    .getGrain(NoteGrain.class, "target-" + i)
                    .write("t" + i)
                    .join();
        }
        for (int i = 0; i < 20; i++) {
            List<String> result = cluster.grainFactory((i + 1) % 3)
                    .getGrain(NoteGrain.class, "caller-" + i)
                    .readThrough("target-" + i)
                    .join();
            assertThat(result).containsExactly("t" + i, "1");
        }
    }

    @Test
    void aKilledSilosGrainsComeBackOnALiveSiloWithTheirState() {
        start(3);
        String type =
                cluster.silo(0).grainTypes().implementationOf(NoteGrain.class).typeName();
        NoteGrain apple = cluster.grainFactory(0).getGrain(NoteGrain.class, "apple");
        apple.write("before the crash").join();
        Silo host = cluster.silosHosting(GrainId.ofString(type, "apple")).get(0);
        Silo survivor =
                cluster.silos().stream().filter(s -> s != host).findFirst().orElseThrow();
        SiloAddress dead = host.address();
        host.kill();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> cluster.silos().stream()
                        .filter(s -> s.status() == SiloStatus.ACTIVE)
                        .allMatch(s -> s.membership().currentSnapshot().statusOf(dead) == SiloStatus.DEAD));
        NoteGrain again = survivor.grainFactory().getGrain(NoteGrain.class, "apple");
        assertThat(again.read().join().text()).isEqualTo("before the crash");
        assertThat(again.write("after the crash").join().version()).isEqualTo(2);
        assertThat(cluster.silosHosting(GrainId.ofString(type, "apple")))
                .hasSize(1)
                .doesNotContain(host);
        for (Silo silo : cluster.silos()) {
            if (silo != host) {
                assertThat(silo.grainFactory()
                                .getGrain(NoteGrain.class, "apple")
                                .read()
                                .join()
                                .text())
                        .isEqualTo("after the crash");
            }
        }
    }

    @Test
    void readOnlyCallsMadeRightAfterTheHostDiesAreRetriedUntilTheGrainIsBack() {
        // Default retries: until the response timeout (30 s), far longer than declaring a silo dead (~2 s here).
        start(3);
        String type =
                cluster.silo(0).grainTypes().implementationOf(NoteGrain.class).typeName();
        NoteGrain pear = cluster.grainFactory(0).getGrain(NoteGrain.class, "pear");
        pear.write("green").join();
        Silo host = cluster.silosHosting(GrainId.ofString(type, "pear")).get(0);
        Silo caller =
                cluster.silos().stream().filter(s -> s != host).findFirst().orElseThrow();
        host.kill();
        // Calls made at once: the host's connection is gone, so they fail in transit (before or, if the caller
        // has not seen the close yet, after being written) and, being read-only, are retried until the cluster
        // has declared the host dead and the grain is placed again. None fails.
        NoteGrain viaCaller = caller.grainFactory().getGrain(NoteGrain.class, "pear");
        List<CompletableFuture<ClusterGrains.Note>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(viaCaller.read());
        }
        for (CompletableFuture<ClusterGrains.Note> call : calls) {
            assertThat(call)
                    .succeedsWithin(Duration.ofSeconds(15))
                    .extracting(ClusterGrains.Note::text)
                    .isEqualTo("green");
        }
        assertThat(cluster.silosHosting(GrainId.ofString(type, "pear")))
                .hasSize(1)
                .doesNotContain(host);
    }

    @Test
    void activationCountPlacementBalancesNewGrainsAroundALoadedSilo() {
        start(3);
        Silo loaded = cluster.silo(2);
        List<CompletableFuture<Long>> calls = new ArrayList<>();
        RequestContext.set(PlacementHint.REQUEST_CONTEXT_KEY, loaded.address());
        try {
            for (long i = 0; i < 5_000; i++) {
                calls.add(cluster.grainFactory(0)
                        .getGrain(CountedGrain.class, 1_000_000 + i)
                        .touch());
            }
        } finally {
            RequestContext.remove(PlacementHint.REQUEST_CONTEXT_KEY);
        }
        calls.forEach(CompletableFuture::join);
        assertThat(loaded.catalog().activationCount()).isEqualTo(5_000);
        // Every silo publishes its count each second; wait until the caller has seen the loaded one's.
        await().atMost(Duration.ofSeconds(10)).until(() -> estimate(cluster.silo(0), loaded) >= 5_000);
        calls.clear();
        for (long i = 0; i < 10_000; i++) {
            calls.add(cluster.grainFactory(0).getGrain(CountedGrain.class, i).touch());
            if (calls.size() == 500) {
                calls.forEach(CompletableFuture::join);
                calls.clear();
            }
        }
        calls.forEach(CompletableFuture::join);
        Map<SiloAddress, Integer> counts = new HashMap<>();
        cluster.silos().forEach(s -> counts.put(s.address(), s.catalog().activationCount()));
        double mean = 15_000 / 3.0;
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(15_000);
        for (int count : counts.values()) {
            assertThat((double) count)
                    .as("activations per silo %s, mean %s", counts, mean)
                    .isBetween(mean * 0.85, mean * 1.15);
        }
    }

    private static int estimate(Silo observer, Silo target) {
        return observer.activationCountEstimate(target.address());
    }

    @Test
    void hashBasedPlacementIsTheSameFromEverySilo() {
        start(3);
        Map<Long, Silo> hosts = new HashMap<>();
        for (long key = 0; key < 60; key++) {
            cluster.grainFactory((int) (key % 3))
                    .getGrain(HashedGrain.class, key)
                    .touch()
                    .join();
            String type = cluster.silo(0)
                    .grainTypes()
                    .implementationOf(HashedGrain.class)
                    .typeName();
            List<Silo> hosting = cluster.silosHosting(GrainId.ofLong(type, key));
            assertThat(hosting).hasSize(1);
            hosts.put(key, hosting.get(0));
        }
        // The same keys through another silo reach the same activations, and every silo got some.
        for (long key = 0; key < 60; key++) {
            cluster.grainFactory((int) ((key + 1) % 3))
                    .getGrain(HashedGrain.class, key)
                    .touch()
                    .join();
            String type = cluster.silo(0)
                    .grainTypes()
                    .implementationOf(HashedGrain.class)
                    .typeName();
            assertThat(cluster.silosHosting(GrainId.ofLong(type, key))).containsExactly(hosts.get(key));
        }
        assertThat(hosts.values()).containsAll(cluster.silos());
    }

    @Test
    void statelessWorkersRunOnTheCallingSilo() {
        start(2);
        String type =
                cluster.silo(0).grainTypes().implementationOf(WorkerGrain.class).typeName();
        for (int i = 0; i < 2; i++) {
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int c = 0; c < 50; c++) {
                calls.add(cluster.grainFactory(i).getGrain(WorkerGrain.class, 7).work());
            }
            calls.forEach(CompletableFuture::join);
        }
        for (Silo silo : cluster.silos()) {
            assertThat(silo.catalog().activationCountsByType().get(type)).isBetween(1, 2);
        }
    }

    @Test
    void aSiloThatJoinsLaterTakesPartAndOwnsPartOfTheDirectory() {
        start(2);
        for (int i = 0; i < 50; i++) {
            cluster.grainFactory(i % 2)
                    .getGrain(NoteGrain.class, "early-" + i)
                    .write("v" + i)
                    .join();
        }
        Silo third = cluster.startSilo();
        cluster.awaitActiveSilos(3, Duration.ofSeconds(15));
        String type = third.grainTypes().implementationOf(NoteGrain.class).typeName();
        for (int i = 0; i < 50; i++) {
            assertThat(third.grainFactory()
                            .getGrain(NoteGrain.class, "early-" + i)
                            .read()
                            .join()
                            .text())
                    .isEqualTo("v" + i);
            assertThat(cluster.silosHosting(GrainId.ofString(type, "early-" + i)))
                    .hasSize(1);
        }
    }

    @Test
    void aGracefullyStoppedSiloLeavesDeadAndItsGrainsMove() {
        start(3);
        String type =
                cluster.silo(0).grainTypes().implementationOf(NoteGrain.class).typeName();
        for (int i = 0; i < 30; i++) {
            cluster.grainFactory(0)
                    .getGrain(NoteGrain.class, "g-" + i)
                    .write("v" + i)
                    .join();
        }
        Silo leaving = cluster.silo(1);
        leaving.stop(Duration.ofSeconds(10));
        assertThat(leaving.status()).isEqualTo(SiloStatus.DEAD);
        assertThat(cluster.silo(0).membership().refresh().join().statusOf(leaving.address()))
                .isEqualTo(SiloStatus.DEAD);
        for (int i = 0; i < 30; i++) {
            assertThat(cluster.grainFactory(2)
                            .getGrain(NoteGrain.class, "g-" + i)
                            .read()
                            .join()
                            .text())
                    .isEqualTo("v" + i);
            assertThat(cluster.silosHosting(GrainId.ofString(type, "g-" + i)))
                    .hasSize(1)
                    .doesNotContain(leaving);
        }
    }

    @Test
    void theNewOwnersTakeALeavingSilosDirectoryEntriesOverBeforeTheyAnswer() throws Exception {
        start(3);
        Silo leaving = cluster.silo(1);
        String type = leaving.grainTypes().implementationOf(NoteGrain.class).typeName();
        List<SiloAddress> active = leaving.membership().currentSnapshot().activeSilos();
        DirectoryRing ring = DirectoryRing.of(active);
        // Grains active on the leaving silo whose directory entries it owns: a silo asking the new owner
        // before the entries arrived would find nothing and activate a second copy elsewhere.
        Map<GrainId, GrainAddress> addresses = new HashMap<>();
        RequestContext.set(PlacementHint.REQUEST_CONTEXT_KEY, leaving.address());
        try {
            for (int i = 0; addresses.size() < 20; i++) {
                GrainId id = GrainId.ofString(type, "owned-" + i);
                if (ring.owner(id).equals(leaving.address())) {
                    cluster.grainFactory(0)
                            .getGrain(NoteGrain.class, id.key())
                            .write("v")
                            .join();
                    addresses.put(
                            id,
                            new GrainAddress(
                                    id,
                                    leaving.address(),
                                    leaving.catalog().get(id).activationId()));
                }
            }
        } finally {
            RequestContext.remove(PlacementHint.REQUEST_CONTEXT_KEY);
        }

        // ShuttingDown in the table: the leaving silo owns nothing from that version on, and the new owners
        // take its entries over when they first read it (before answering for those grains).
        DistributedGrainDirectory directory = (DistributedGrainDirectory) leaving.grainDirectory();
        leaving.membership().shutDown().join();
        for (Map.Entry<GrainId, GrainAddress> entry : addresses.entrySet()) {
            // The leaving silo read the new version, the others may not have yet: it asks the new owner with that
            // version, which reads the table, takes the range over (from the leaving silo) and answers.
            assertThat(leaving.grainDirectory().lookup(entry.getKey()).join()).isEqualTo(entry.getValue());
        }
        directory.handedOver().get(10, TimeUnit.SECONDS);
        assertThat(directory.partitionSize()).isZero();
        for (int s : List.of(0, 2)) {
            assertThat(cluster.silo(s).membership().refresh().join().activeSilos())
                    .doesNotContain(leaving.address());
        }
        for (Map.Entry<GrainId, GrainAddress> entry : addresses.entrySet()) {
            for (int s : List.of(0, 2)) {
                assertThat(cluster.silo(s)
                                .grainDirectory()
                                .lookup(entry.getKey())
                                .join())
                        .isEqualTo(entry.getValue());
            }
            assertThat(cluster.grainFactory(2)
                            .getGrain(NoteGrain.class, entry.getKey().key())
                            .read()
                            .join()
                            .text())
                    .isEqualTo("v");
            assertThat(cluster.silosHosting(entry.getKey())).containsExactly(leaving);
        }
    }
}
