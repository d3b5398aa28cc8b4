package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithLongKey;
import org.orleans4j.placement.StatelessWorker;

class StatelessWorkerTest {

    static final CompletableFuture<Void> GATE = new CompletableFuture<>();
    static final Set<String> ACTIVATIONS = ConcurrentHashMap.newKeySet();

    interface Resize extends GrainWithLongKey {
        CompletableFuture<String> work();
    }

    @StatelessWorker(maxLocalWorkers = 3)
    static class ResizeGrain extends GrainBase implements Resize {
        @Override
        public CompletableFuture<String> work() {
            ACTIVATIONS.add(context().activationId());
            return resume(GATE).thenApply(v -> context().activationId());
        }
    }

    private Silo silo;

    @BeforeEach
    void start() {
        silo = StandaloneSilos.start(b -> b.addGrainClass(ResizeGrain.class));
    }

    @AfterEach
    void stop() {
        GATE.complete(null);
        silo.stop(Duration.ofSeconds(5));
    }

    @Test
    void busyWorkersAddActivationsUpToTheMaximumPerSilo() {
        Resize worker = silo.grainFactory().getGrain(Resize.class, 1L);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(worker.work());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> ACTIVATIONS.size() == 3);
        assertThat(silo.catalog().activationCount()).isEqualTo(3);
        GATE.complete(null);
        Set<String> served = ConcurrentHashMap.newKeySet();
        calls.forEach(c -> served.add(c.join()));
        assertThat(served).hasSize(3);
        assertThat(silo.catalog().activationCountsByType()).containsEntry("resize", 3);
    }
}
