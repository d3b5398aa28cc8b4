package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.ActivationFailedException;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainTypeName;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.PersistentState;
import org.orleans4j.metadata.GrainTypeRegistry;
import org.orleans4j.placement.PlacementStrategyResolver;
import org.orleans4j.placement.RandomPlacementStrategy;

class GrainTypeRegistryTest {

    interface Shape extends GrainWithStringKey {
        CompletableFuture<String> name();
    }

    interface Circle extends Shape {}

    interface Square extends Shape {}

    static class CircleGrainImpl extends GrainBase implements Circle {
        @Override
        public CompletableFuture<String> name() {
            return CompletableFuture.completedFuture("circle");
        }
    }

    @GrainTypeName("box")
    static class SquareGrain extends GrainBase implements Square {
        @Override
        public CompletableFuture<String> name() {
            throw new IllegalArgumentException("squares refuse to answer");
        }
    }

    interface Broken extends GrainWithStringKey {
        String notAFuture();
    }

    static class BrokenGrain implements Broken {
        @Override
        public String notAFuture() {
            return "x";
        }
    }

    interface Stateful extends GrainWithStringKey {
        CompletableFuture<String> value();
    }

    static class StatefulGrain extends GrainBase implements Stateful {
        private final PersistentState<String> state = persistentState("s", "Archive", String.class, () -> "");

        @Override
        public CompletableFuture<String> value() {
            return CompletableFuture.completedFuture(state.state());
        }
    }

    private final GrainTypeRegistry registry =
            new GrainTypeRegistry(new PlacementStrategyResolver(RandomPlacementStrategy.INSTANCE));

    @Test
    void typeNamesComeFromTheClassOrTheAnnotation() {
        assertThat(registry.register(CircleGrainImpl.class).typeName()).isEqualTo("circle");
        assertThat(registry.register(SquareGrain.class).typeName()).isEqualTo("box");
        assertThat(registry.implementationOf(Circle.class).grainClass()).isEqualTo(CircleGrainImpl.class);
    }

    @Test
    void anInterfaceWithSeveralImplementationsIsAmbiguous() {
        registry.register(CircleGrainImpl.class);
        registry.register(SquareGrain.class);
        assertThatThrownBy(() -> registry.implementationOf(Shape.class))
                .isInstanceOf(GrainException.class)
                .hasMessageContaining("Several grain classes implement");
    }

    @Test
    void aMethodThatReturnsNoFutureIsRejectedAtRegistration() {
        assertThatThrownBy(() -> registry.register(BrokenGrain.class))
                .hasMessageContaining("notAFuture")
                .hasMessageContaining("must return CompletableFuture");
    }

    @Test
    void anUnregisteredInterfaceIsAClearError() {
        assertThatThrownBy(() -> registry.implementationOf(Circle.class))
                .hasMessageContaining("No grain class implements");
    }

    @Test
    void exceptionsThrownByAGrainReachTheCallerAndTheGrainStaysUsable() {
        try (Silo silo =
                StandaloneSilos.start(b -> b.addGrainClass(SquareGrain.class).addGrainClass(CircleGrainImpl.class))) {
            Square square = silo.grainFactory().getGrain(Square.class, "s");
            assertThatThrownBy(() -> square.name().join())
                    .cause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("squares refuse to answer");
            assertThat(silo.grainFactory().getGrain(Circle.class, "c").name().join())
                    .isEqualTo("circle");
            assertThat(silo.catalog().activationCountsByType()).containsEntry("box", 1);
        }
    }

    @Test
    void stateInAStorageThatIsNotConfiguredFailsActivationNamingIt() {
        try (Silo silo = StandaloneSilos.start(b -> b.addGrainClass(StatefulGrain.class))) {
            assertThatThrownBy(() -> silo.grainFactory()
                            .getGrain(Stateful.class, "x")
                            .value()
                            .join())
                    .cause()
                    .isInstanceOf(ActivationFailedException.class)
                    .hasMessageContaining("'Archive'");
        }
    }
}
