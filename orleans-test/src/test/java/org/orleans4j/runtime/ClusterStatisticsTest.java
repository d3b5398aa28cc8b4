package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.testing.TestCluster;

/** Every silo sees the activation counts of every silo, per grain type, without asking them. */
class ClusterStatisticsTest {

    public interface WordGrain extends GrainWithStringKey {
        CompletableFuture<String> word();
    }

    public static class WordGrainImpl extends GrainBase implements WordGrain {
        @Override
        public CompletableFuture<String> word() {
            return CompletableFuture.completedFuture(primaryKeyString());
        }
    }

    @Test
    void everySiloSeesTheClusterTotalsAndADeadSiloLeavesThem() {
        try (TestCluster cluster = TestCluster.builder()
                .silos(3)
                .configure(b -> b.addGrainClass(WordGrainImpl.class))
                .start()) {
            List<CompletableFuture<String>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 90; i++) {
                calls.add(cluster.grainFactory(i % 3)
                        .getGrain(WordGrain.class, "w" + i)
                        .word());
            }
            calls.forEach(CompletableFuture::join);
            String type = cluster.silo(0).grainTypes().grainClasses().stream()
                    .filter(c -> c.grainClass() == WordGrainImpl.class)
                    .findFirst()
                    .orElseThrow()
                    .typeName();

            TestCluster.await(
                    () -> cluster.silos().stream().allMatch(silo -> {
                        ClusterStatistics stats = silo.clusterStatistics();
                        return stats.silos().size() == 3
                                && stats.totalActivations() == 90
                                && stats.activationsByType().getOrDefault(type, 0) == 90;
                    }),
                    Duration.ofSeconds(10),
                    "every silo sees 90 activations on 3 silos");
            for (Silo silo : cluster.silos()) {
                assertThat(silo.clusterStatistics().silos().get(silo.address()).activations())
                        .isEqualTo(silo.catalog().activationCount());
                assertThat(silo.catalog().statistics().createdByType().getOrDefault(type, 0L))
                        .isEqualTo(silo.catalog().activationCount());
            }

            Silo victim = cluster.silo(2);
            victim.kill();
            TestCluster.await(
                    () -> cluster.silos().subList(0, 2).stream()
                            .allMatch(silo -> !silo.clusterStatistics().silos().containsKey(victim.address())),
                    Duration.ofSeconds(15),
                    "the survivors drop the dead silo's counts");
        }
    }
}
