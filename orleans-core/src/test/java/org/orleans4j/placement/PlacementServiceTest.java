package org.orleans4j.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.orleans4j.placement.TestPlacementContext.silo;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainId;
import org.orleans4j.runtime.SiloAddress;

class PlacementServiceTest {

    private static final SiloAddress A = silo("10.0.0.1", 11111);
    private static final SiloAddress B = silo("10.0.0.2", 11111);

    /** A user's custom strategy, its annotation and director, as the seeds describe. */
    public static class FixedSiloStrategy extends PlacementStrategy {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Placement(FixedSiloStrategy.class)
    @interface FixedSilo {
    }

    static final class FixedSiloDirector implements PlacementDirector<FixedSiloStrategy> {
        final AtomicInteger calls = new AtomicInteger();
        volatile CompletableFuture<SiloAddress> answer = CompletableFuture.completedFuture(B);

        @Override
        public CompletableFuture<SiloAddress> onAddActivation(FixedSiloStrategy strategy, PlacementTarget target,
                PlacementContext context) {
            calls.incrementAndGet();
            return answer;
        }
    }

    @FixedSilo
    static class FixedGrain {
    }

    @HashBasedPlacement
    static class HashGrain {
    }

    @StatelessWorker(maxLocalWorkers = 4)
    static class WorkerGrain {
    }

    static class PlainGrain {
    }

    @HashBasedPlacement
    @RandomPlacement
    static class ConfusedGrain {
    }

    private static PlacementTarget target(String key) {
        return new PlacementTarget(GrainId.ofString("t", key), Object.class, Map.of());
    }

    @Test
    void resolverMapsAnnotationsToStrategies() {
        PlacementStrategyResolver resolver = new PlacementStrategyResolver(RandomPlacementStrategy.INSTANCE);
        assertThat(resolver.resolve(HashGrain.class)).isEqualTo(HashBasedPlacementStrategy.INSTANCE);
        assertThat(resolver.resolve(PlainGrain.class)).isEqualTo(RandomPlacementStrategy.INSTANCE);
        assertThat(resolver.resolve(FixedGrain.class)).isInstanceOf(FixedSiloStrategy.class);
        assertThat(resolver.resolve(WorkerGrain.class)).isEqualTo(new StatelessWorkerPlacementStrategy(4));
        assertThat(((StatelessWorkerPlacementStrategy) resolver.resolve(WorkerGrain.class)).isUsingGrainDirectory()).isFalse();
        assertThat(new PlacementStrategyResolver(PreferLocalPlacementStrategy.INSTANCE).resolve(PlainGrain.class))
                .isEqualTo(PreferLocalPlacementStrategy.INSTANCE);
        assertThatThrownBy(() -> resolver.resolve(ConfusedGrain.class)).hasMessageContaining("several placement annotations");
    }

    @Test
    void customStrategyWorksEndToEndThroughTheService() {
        PlacementDirectorRegistry registry = PlacementDirectorRegistry.withDefaults(ActivationCountBasedPlacementOptions.DEFAULT);
        FixedSiloDirector director = new FixedSiloDirector();
        registry.register(FixedSiloStrategy.class, director);
        PlacementService service = new PlacementService(registry, new TestPlacementContext(A, List.of(A, B)));
        PlacementStrategy strategy = new PlacementStrategyResolver(RandomPlacementStrategy.INSTANCE).resolve(FixedGrain.class);
        assertThat(service.placeGrain(target("x"), strategy).join()).isEqualTo(B);
        assertThat(director.calls.get()).isEqualTo(1);
    }

    @Test
    void missingDirectorIsAClearError() {
        PlacementDirectorRegistry registry = PlacementDirectorRegistry.withDefaults(ActivationCountBasedPlacementOptions.DEFAULT);
        PlacementService service = new PlacementService(registry, new TestPlacementContext(A, List.of(A)));
        assertThatThrownBy(() -> service.placeGrain(target("x"), new FixedSiloStrategy()).join())
                .cause().isInstanceOf(PlacementException.class).hasMessageContaining("register a PlacementDirector");
    }

    @Test
    void concurrentPlacementsOfOneGrainAreCoalesced() throws Exception {
        PlacementDirectorRegistry registry = new PlacementDirectorRegistry();
        FixedSiloDirector director = new FixedSiloDirector();
        CompletableFuture<SiloAddress> pending = new CompletableFuture<>();
        director.answer = pending;
        registry.register(FixedSiloStrategy.class, director);
        PlacementService service = new PlacementService(registry, new TestPlacementContext(A, List.of(A, B)));
        FixedSiloStrategy strategy = new FixedSiloStrategy();

        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<CompletableFuture<SiloAddress>>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return service.placeGrain(target("same"), strategy);
                }));
            }
            go.countDown();
            List<CompletableFuture<SiloAddress>> futures = new ArrayList<>();
            for (var r : results) {
                futures.add(r.get());
            }
            assertThat(director.calls.get()).isEqualTo(1);
            assertThat(futures).allSatisfy(f -> assertThat(f).isNotDone());
            pending.complete(A);
            assertThat(futures).allSatisfy(f -> assertThat(f.join()).isEqualTo(A));
        } finally {
            pool.shutdownNow();
        }
        assertThat(service.inFlightCount()).isZero();
        director.answer = CompletableFuture.completedFuture(B);
        assertThat(service.placeGrain(target("same"), strategy).join()).isEqualTo(B);
        assertThat(director.calls.get()).as("a later placement decides anew").isEqualTo(2);
    }

    @Test
    void placementHintNamingACompatibleSiloWins() {
        PlacementService service = new PlacementService(
                PlacementDirectorRegistry.withDefaults(ActivationCountBasedPlacementOptions.DEFAULT),
                new TestPlacementContext(A, List.of(A, B)));
        PlacementTarget hinted = new PlacementTarget(GrainId.ofString("t", "h"), Object.class,
                Map.of(PlacementHint.REQUEST_CONTEXT_KEY, B));
        for (int i = 0; i < 50; i++) {
            assertThat(service.placeGrain(hinted, PreferLocalPlacementStrategy.INSTANCE).join()).isEqualTo(B);
        }
        PlacementTarget unknownHint = new PlacementTarget(GrainId.ofString("t", "h"), Object.class,
                Map.of(PlacementHint.REQUEST_CONTEXT_KEY, silo("192.0.2.1", 1)));
        assertThat(service.placeGrain(unknownHint, PreferLocalPlacementStrategy.INSTANCE).join()).isEqualTo(A);
    }

    @Test
    void aDirectorThatThrowsGivesAFailedFuture() {
        PlacementDirectorRegistry registry = new PlacementDirectorRegistry();
        registry.register(FixedSiloStrategy.class, (s, t, c) -> {
            throw new IllegalStateException("director broke");
        });
        PlacementService service = new PlacementService(registry, new TestPlacementContext(A, List.of(A)));
        assertThatThrownBy(() -> service.placeGrain(target("x"), new FixedSiloStrategy()).join())
                .cause().hasMessage("director broke");
        assertThat(service.inFlightCount()).isZero();
    }
}
