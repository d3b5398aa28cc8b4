package org.orleans4j.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.orleans4j.placement.TestPlacementContext.silo;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;

class PlacementServiceTest {

    private static final SiloAddress A = silo("10.0.0.1", 11111);
    private static final SiloAddress B = silo("10.0.0.2", 11111);
    private static final SiloAddress C = silo("10.0.0.3", 11111);

    /** A user's custom strategy: the silo with the given port. Its annotation and director follow. */
    public static final class PortStrategy extends PlacementStrategy {
        final int port;

        public PortStrategy(OnPort annotation) {
            this.port = annotation.value();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PortStrategy other && other.port == port;
        }

        @Override
        public int hashCode() {
            return port;
        }
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Inherited
    @Placement(PortStrategy.class)
    @interface OnPort {
        int value();
    }

    static final class PortDirector implements PlacementDirector<PortStrategy> {
        @Override
        public CompletableFuture<SiloAddress> onAddActivation(
                PortStrategy strategy, PlacementTarget target, PlacementContext context) {
            return context.getCompatibleSilos(target).stream()
                    .filter(s -> s.port() == strategy.port)
                    .findFirst()
                    .map(CompletableFuture::completedFuture)
                    .orElseGet(() ->
                            CompletableFuture.failedFuture(new PlacementException("no silo on " + strategy.port)));
        }
    }

    @OnPort(2)
    static class PortTwoGrain {}

    /** A strategy whose director the tests script: counts calls and answers with {@link #answer}. */
    public static final class ScriptedStrategy extends PlacementStrategy {
        static final ScriptedStrategy INSTANCE = new ScriptedStrategy();
    }

    static final class ScriptedDirector implements PlacementDirector<ScriptedStrategy> {
        final AtomicInteger calls = new AtomicInteger();
        volatile CompletableFuture<SiloAddress> answer = CompletableFuture.completedFuture(B);

        @Override
        public CompletableFuture<SiloAddress> onAddActivation(
                ScriptedStrategy strategy, PlacementTarget target, PlacementContext context) {
            calls.incrementAndGet();
            return answer;
        }
    }

    private final ScriptedDirector scripted = new ScriptedDirector();

    private PlacementService service(List<SiloAddress> silos) {
        PlacementDirectorRegistry registry = PlacementDirectorRegistry.withDefaults();
        registry.register(ScriptedStrategy.class, scripted);
        return new PlacementService(registry, new TestPlacementContext(silos.get(0), silos));
    }

    private static PlacementTarget target(String key) {
        return new PlacementTarget(GrainId.ofString("t", key), Object.class, Map.of());
    }

    private static PlacementTarget hinted(String key, Object hint) {
        return new PlacementTarget(
                GrainId.ofString("t", key), Object.class, Map.of(PlacementHint.REQUEST_CONTEXT_KEY, hint));
    }

    @Test
    void aCustomStrategyAnnotationAndDirectorWorkEndToEnd() {
        SiloAddress portTwo = silo("10.0.0.4", 2);
        PlacementDirectorRegistry registry = PlacementDirectorRegistry.withDefaults();
        registry.register(PortStrategy.class, new PortDirector());
        PlacementService service = new PlacementService(registry, new TestPlacementContext(A, List.of(A, portTwo, B)));
        PlacementStrategy strategy = new PlacementStrategyResolver().resolve(PortTwoGrain.class);
        assertThat(strategy).isInstanceOf(PortStrategy.class);
        for (int i = 0; i < 20; i++) {
            assertThat(service.placeGrain(target("x" + i), strategy).join()).isEqualTo(portTwo);
        }
    }

    @Test
    void builtInStrategiesGoThroughTheirDirectors() {
        PlacementService service = service(List.of(A, B, C));
        assertThat(service.placeGrain(target("x"), PreferLocalPlacementStrategy.INSTANCE)
                        .join())
                .isEqualTo(A);
        assertThat(service.placeGrain(target("x"), RandomPlacementStrategy.INSTANCE)
                        .join())
                .isIn(A, B, C);
        assertThat(service.inFlightCount()).isZero();
    }

    @Test
    void aStrategyWithoutDirectorFailsTheFutureClearly() {
        PlacementService service =
                new PlacementService(PlacementDirectorRegistry.withDefaults(), new TestPlacementContext(A, List.of(A)));
        CompletableFuture<SiloAddress> chosen = service.placeGrain(target("x"), ScriptedStrategy.INSTANCE);
        assertThat(chosen).isCompletedExceptionally();
        assertThat(chosen.exceptionNow())
                .isInstanceOf(PlacementException.class)
                .hasMessageContaining(ScriptedStrategy.class.getName())
                .hasMessageContaining("register a PlacementDirector for it");
        assertThat(service.inFlightCount()).isZero();
    }

    @Test
    void concurrentPlacementsOfOneGrainAreCoalesced() throws Exception {
        PlacementService service = service(List.of(A, B));
        CompletableFuture<SiloAddress> pending = new CompletableFuture<>();
        scripted.answer = pending;

        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<SiloAddress>> futures = new ArrayList<>();
        try {
            List<Future<CompletableFuture<SiloAddress>>> submitted = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                submitted.add(pool.submit(() -> {
                    go.await();
                    return service.placeGrain(target("same"), ScriptedStrategy.INSTANCE);
                }));
            }
            go.countDown();
            for (var f : submitted) {
                futures.add(f.get(10, TimeUnit.SECONDS)); // every thread has asked once this returns
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(scripted.calls.get()).as("director calls").isEqualTo(1);
        assertThat(futures).allSatisfy(f -> assertThat(f).isNotDone());
        assertThat(service.inFlightCount()).isEqualTo(1);

        pending.complete(A);
        assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedWithValue(A));
        assertThat(service.inFlightCount()).isZero();

        scripted.answer = CompletableFuture.completedFuture(B);
        assertThat(service.placeGrain(target("same"), ScriptedStrategy.INSTANCE).join())
                .isEqualTo(B);
        assertThat(scripted.calls.get()).as("a later placement decides anew").isEqualTo(2);
    }

    @Test
    void differentGrainsAreNotCoalesced() {
        PlacementService service = service(List.of(A, B));
        CompletableFuture<SiloAddress> pending = new CompletableFuture<>();
        scripted.answer = pending;
        CompletableFuture<SiloAddress> one = service.placeGrain(target("one"), ScriptedStrategy.INSTANCE);
        CompletableFuture<SiloAddress> two = service.placeGrain(target("two"), ScriptedStrategy.INSTANCE);
        assertThat(scripted.calls.get()).isEqualTo(2);
        assertThat(service.inFlightCount()).isEqualTo(2);
        pending.complete(B);
        assertThat(one.join()).isEqualTo(B);
        assertThat(two.join()).isEqualTo(B);
        assertThat(service.inFlightCount()).isZero();
    }

    @Test
    void aFailedDecisionFailsEveryWaiterWithTheDirectorsExceptionAndIsForgotten() {
        PlacementService service = service(List.of(A, B));
        CompletableFuture<SiloAddress> pending = new CompletableFuture<>();
        scripted.answer = pending;
        CompletableFuture<SiloAddress> first = service.placeGrain(target("g"), ScriptedStrategy.INSTANCE);
        CompletableFuture<SiloAddress> second = service.placeGrain(target("g"), ScriptedStrategy.INSTANCE);
        PlacementException failure = new PlacementException("cluster is empty");
        pending.completeExceptionally(failure);
        assertThat(first.exceptionNow()).isSameAs(failure);
        assertThat(second.exceptionNow()).isSameAs(failure);
        assertThat(service.inFlightCount()).isZero();

        scripted.answer = CompletableFuture.completedFuture(A);
        assertThat(service.placeGrain(target("g"), ScriptedStrategy.INSTANCE).join())
                .isEqualTo(A);
    }

    @Test
    void aCallerCancellingItsFutureDoesNotFailTheOthers() {
        PlacementService service = service(List.of(A, B));
        CompletableFuture<SiloAddress> pending = new CompletableFuture<>();
        scripted.answer = pending;
        CompletableFuture<SiloAddress> impatient = service.placeGrain(target("g"), ScriptedStrategy.INSTANCE);
        CompletableFuture<SiloAddress> patient = service.placeGrain(target("g"), ScriptedStrategy.INSTANCE);
        impatient.cancel(false);
        assertThat(patient).isNotDone();
        pending.complete(B);
        assertThat(patient).isCompletedWithValue(B);
        assertThat(service.inFlightCount()).isZero();
    }

    @Test
    void aPlacementHintNamingACompatibleSiloWinsWithoutAskingTheDirector() {
        PlacementService service = service(List.of(A, B, C));
        for (int i = 0; i < 20; i++) {
            assertThat(service.placeGrain(hinted("h" + i, C), ScriptedStrategy.INSTANCE)
                            .join())
                    .isEqualTo(C);
        }
        assertThat(scripted.calls.get()).isZero();
        assertThat(PlacementHint.of(hinted("h", C))).isEqualTo(C);
        assertThat(PlacementHint.of(target("h"))).isNull();
    }

    @Test
    void aHintThatCannotBeHonouredFallsBackToTheDirector() {
        PlacementDirectorRegistry registry = PlacementDirectorRegistry.withDefaults();
        registry.register(ScriptedStrategy.class, scripted);
        TestPlacementContext context = new TestPlacementContext(A, List.of(A, B, C)).withIncompatible(C);
        PlacementService service = new PlacementService(registry, context);
        assertThat(service.placeGrain(hinted("h", C), ScriptedStrategy.INSTANCE).join())
                .as("incompatible")
                .isEqualTo(B);
        assertThat(service.placeGrain(hinted("h", silo("192.0.2.1", 1)), ScriptedStrategy.INSTANCE)
                        .join())
                .as("unknown silo")
                .isEqualTo(B);
        assertThat(service.placeGrain(hinted("h", "10.0.0.3:11111@1700000000"), ScriptedStrategy.INSTANCE)
                        .join())
                .as("not a SiloAddress")
                .isEqualTo(B);
        assertThat(scripted.calls.get()).isEqualTo(3);
    }

    @Test
    void aDirectorThatThrowsGivesAFailedFuture() {
        PlacementDirectorRegistry registry = new PlacementDirectorRegistry();
        registry.register(ScriptedStrategy.class, (s, t, c) -> {
            throw new IllegalStateException("director broke");
        });
        PlacementService service = new PlacementService(registry, new TestPlacementContext(A, List.of(A)));
        CompletableFuture<SiloAddress> chosen = service.placeGrain(target("x"), ScriptedStrategy.INSTANCE);
        assertThat(chosen).isCompletedExceptionally();
        assertThat(chosen.exceptionNow())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("director broke");
        assertThat(service.inFlightCount()).isZero();
        assertThatThrownBy(chosen::join).hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDirectorAnsweringNothingGivesAPlacementException() {
        PlacementService service = service(List.of(A));
        scripted.answer = null;
        assertThat(service.placeGrain(target("x"), ScriptedStrategy.INSTANCE).exceptionNow())
                .isInstanceOf(PlacementException.class)
                .hasMessageContaining("no future")
                .hasMessageContaining("t/x");
        scripted.answer = CompletableFuture.completedFuture(null);
        assertThat(service.placeGrain(target("x"), ScriptedStrategy.INSTANCE).exceptionNow())
                .isInstanceOf(PlacementException.class)
                .hasMessageContaining("no silo")
                .hasMessageContaining("t/x");
        CompletableFuture<SiloAddress> later = new CompletableFuture<>();
        scripted.answer = later;
        CompletableFuture<SiloAddress> chosen = service.placeGrain(target("x"), ScriptedStrategy.INSTANCE);
        later.complete(null);
        assertThat(chosen.exceptionNow()).isInstanceOf(PlacementException.class).hasMessageContaining("no silo");
        assertThat(service.inFlightCount()).isZero();
    }
}
