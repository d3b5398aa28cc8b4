package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.catalog.GrainCallObserver;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.OneWay;

/** The grain call observer sees each call made through the silo's grain factory once, with its outcome. */
class GrainCallObserverTest {

    public interface ObservedGrain extends GrainWithStringKey {
        CompletableFuture<String> echo(String text);

        CompletableFuture<Void> fail();

        /** Calls another grain: two observed calls, the outer one lasting at least as long as the inner one. */
        CompletableFuture<String> echoThrough(String otherKey, String text);

        @OneWay
        void fire();
    }

    public static class ObservedGrainImpl extends GrainBase implements ObservedGrain {
        @Override
        public CompletableFuture<String> echo(String text) {
            return CompletableFuture.completedFuture(text);
        }

        @Override
        public CompletableFuture<Void> fail() {
            throw new IllegalStateException("expected");
        }

        @Override
        public CompletableFuture<String> echoThrough(String otherKey, String text) {
            return grainFactory().getGrain(ObservedGrain.class, otherKey).echo(text);
        }

        @Override
        public void fire() {}
    }

    record Observation(String grainType, String method, long nanos, boolean failed) {}

    private final Queue<Observation> observations = new ConcurrentLinkedQueue<>();
    private Silo silo;

    @AfterEach
    void stop() {
        if (silo != null) {
            silo.close();
        }
    }

    private ObservedGrain start(GrainCallObserver observer) {
        silo = StandaloneSilos.start(
                b -> b.addGrainClass(ObservedGrainImpl.class).grainCallObserver(observer));
        return silo.grainFactory().getGrain(ObservedGrain.class, "a");
    }

    private String type() {
        return silo.grainTypes().implementationOf(ObservedGrain.class).typeName();
    }

    private GrainCallObserver recording() {
        return (grainType, method, nanos, failed) ->
                observations.add(new Observation(grainType, method, nanos, failed));
    }

    @Test
    void eachCallIsObservedOnceWithTypeMethodDurationAndOutcome() {
        ObservedGrain grain = start(recording());
        for (int i = 0; i < 3; i++) {
            assertThat(grain.echo("x" + i).join()).isEqualTo("x" + i);
        }
        assertThatThrownBy(() -> grain.fail().join()).isInstanceOf(CompletionException.class);

        // Already there when join() returns; awaited all the same, as the order is no promise of the API.
        await().atMost(Duration.ofSeconds(5)).until(() -> observations.size() == 4);
        List<Observation> echoes =
                observations.stream().filter(o -> o.method().equals("echo")).toList();
        assertThat(echoes).hasSize(3).allSatisfy(o -> {
            assertThat(o.grainType()).isEqualTo(type());
            assertThat(o.failed()).isFalse();
            assertThat(o.nanos()).isPositive();
        });
        assertThat(observations)
                .filteredOn(o -> o.method().equals("fail"))
                .singleElement()
                .satisfies(o -> assertThat(o.failed()).isTrue());
    }

    @Test
    void callsBetweenGrainsAreObservedToo() {
        ObservedGrain grain = start(recording());
        assertThat(grain.echoThrough("b", "hello").join()).isEqualTo("hello");

        await().atMost(Duration.ofSeconds(5)).until(() -> observations.size() == 2);
        Observation outer = observations.stream()
                .filter(o -> o.method().equals("echoThrough"))
                .findFirst()
                .orElseThrow();
        Observation inner = observations.stream()
                .filter(o -> o.method().equals("echo"))
                .findFirst()
                .orElseThrow();
        assertThat(outer.nanos()).isGreaterThanOrEqualTo(inner.nanos());
    }

    @Test
    void oneWayCallsAreNotObserved() {
        ObservedGrain grain = start(recording());
        grain.fire();
        grain.echo("after").join();

        await().atMost(Duration.ofSeconds(5)).until(() -> !observations.isEmpty());
        // The one-way call went first on the same activation; had it been observed it would be here too.
        assertThat(observations).extracting(Observation::method).containsExactly("echo");
    }

    @Test
    void aFailingObserverDoesNotFailTheCall() {
        ObservedGrain grain = start((grainType, method, nanos, failed) -> {
            observations.add(new Observation(grainType, method, nanos, failed));
            throw new IllegalStateException("observer bug");
        });
        assertThat(grain.echo("still").join()).isEqualTo("still");
        assertThat(grain.echo("works").join()).isEqualTo("works");
        await().atMost(Duration.ofSeconds(5)).until(() -> observations.size() == 2);
    }
}
