package org.orleans4j.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.testing.TestCluster;

/**
 * What the application's observation setup does to grain calls: a predicate that turns Orleans'
 * observations off leaves calls working and unobserved; a handler that throws is logged and the calls,
 * activations and their answers go on.
 */
class ObservationHandlersTest {

    public interface EchoGrain extends GrainWithStringKey {
        CompletableFuture<String> echo(String text);
    }

    public static class EchoGrainImpl extends GrainBase implements EchoGrain {
        @Override
        public CompletableFuture<String> echo(String text) {
            return primaryKeyString().endsWith("-inner")
                    ? CompletableFuture.completedFuture(text)
                    : grainFactory()
                            .getGrain(EchoGrain.class, primaryKeyString() + "-inner")
                            .echo(text);
        }
    }

    private TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private EchoGrain start(ObservationRegistry registry) {
        cluster = TestCluster.builder()
                .silos(2)
                .configure(b -> b.addGrainClass(EchoGrainImpl.class).observationRegistry(registry))
                .start();
        return cluster.grainFactory(0).getGrain(EchoGrain.class, "kiwi");
    }

    @Test
    void aPredicateThatTurnsOrleansObservationsOffLeavesCallsWorkingAndUnobserved() {
        List<String> observed = new CopyOnWriteArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig()
                .observationPredicate((name, context) -> !name.startsWith("orleans."))
                .observationHandler(recording(observed));
        EchoGrain grain = start(registry);
        for (int i = 0; i < 20; i++) {
            assertThat(cluster.grainFactory(i % 2)
                            .getGrain(EchoGrain.class, "k" + i)
                            .echo("x" + i)
                            .join())
                    .isEqualTo("x" + i);
        }
        assertThat(grain.echo("kiwi").join()).isEqualTo("kiwi");
        assertThat(observed).isEmpty();
    }

    @Test
    void aHandlerThatThrowsOnEveryEventDoesNotStopCallsActivationsOrAnswers() {
        List<String> observed = new CopyOnWriteArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(recording(observed)).observationHandler(new Throwing());
        start(registry);
        for (int i = 0; i < 20; i++) {
            assertThat(cluster.grainFactory(i % 2)
                            .getGrain(EchoGrain.class, "k" + i)
                            .echo("x" + i)
                            .join())
                    .isEqualTo("x" + i);
        }
        assertThat(observed).contains(GrainObservations.ACTIVATION);
    }

    private static ObservationHandler<Observation.Context> recording(List<String> observed) {
        return new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                observed.add(context.getName());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        };
    }

    /** Fails at every event it is told of. */
    private static final class Throwing implements ObservationHandler<Observation.Context> {
        @Override
        public void onStart(Observation.Context context) {
            throw new IllegalStateException("broken handler: start");
        }

        @Override
        public void onStop(Observation.Context context) {
            throw new IllegalStateException("broken handler: stop");
        }

        @Override
        public void onScopeOpened(Observation.Context context) {
            throw new IllegalStateException("broken handler: scope opened");
        }

        @Override
        public void onScopeClosed(Observation.Context context) {
            throw new IllegalStateException("broken handler: scope closed");
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }
}
