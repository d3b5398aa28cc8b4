package org.orleans4j.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PlacementDirectorRegistryTest {

    static final class OddStrategy extends PlacementStrategy {}

    @Test
    void defaultsCoverEveryBuiltInStrategy() {
        PlacementDirectorRegistry registry = PlacementDirectorRegistry.withDefaults();
        assertThat(registry.director(RandomPlacementStrategy.INSTANCE)).isInstanceOf(RandomPlacementDirector.class);
        assertThat(registry.director(PreferLocalPlacementStrategy.INSTANCE))
                .isInstanceOf(PreferLocalPlacementDirector.class);
        assertThat(registry.director(HashBasedPlacementStrategy.INSTANCE))
                .isInstanceOf(HashBasedPlacementDirector.class);
        assertThat(registry.director(ActivationCountBasedPlacementStrategy.INSTANCE))
                .isInstanceOf(ActivationCountBasedPlacementDirector.class)
                .isSameAs(registry.activationCountDirector());
        assertThat(registry.director(new StatelessWorkerPlacementStrategy(2)))
                .isInstanceOf(StatelessWorkerPlacementDirector.class);
        assertThat(registry.director(SiloRoleBasedPlacementStrategy.INSTANCE))
                .isInstanceOf(SiloRoleBasedPlacementDirector.class);
    }

    @Test
    void aMissingDirectorIsAClearError() {
        PlacementDirectorRegistry registry = PlacementDirectorRegistry.withDefaults();
        assertThat(registry.isRegistered(OddStrategy.class)).isFalse();
        assertThatThrownBy(() -> registry.director(new OddStrategy()))
                .isInstanceOf(PlacementException.class)
                .hasMessageContaining(OddStrategy.class.getName())
                .hasMessageContaining("register a PlacementDirector for it");
        assertThatThrownBy(() -> new PlacementDirectorRegistry().director(RandomPlacementStrategy.INSTANCE))
                .isInstanceOf(PlacementException.class)
                .hasMessageContaining("RandomPlacementStrategy");
    }

    @Test
    void registerReplacesAndAGeneralDirectorCanServeACustomStrategy() {
        PlacementDirectorRegistry registry = PlacementDirectorRegistry.withDefaults();
        registry.register(
                OddStrategy.class, new HashBasedPlacementDirector()); // a PlacementDirector<PlacementStrategy>
        assertThat(registry.isRegistered(OddStrategy.class)).isTrue();
        assertThat(registry.director(new OddStrategy())).isInstanceOf(HashBasedPlacementDirector.class);

        PlacementDirector<RandomPlacementStrategy> pinned =
                (strategy, target, context) -> CompletableFuture.completedFuture(context.localSilo());
        registry.register(RandomPlacementStrategy.class, pinned);
        assertThat(registry.director(RandomPlacementStrategy.INSTANCE)).isSameAs(pinned);
    }

    @Test
    void theActivationCountDirectorFollowsRegistrations() {
        PlacementDirectorRegistry registry =
                PlacementDirectorRegistry.withDefaults(new ActivationCountBasedPlacementOptions(3));
        ActivationCountBasedPlacementDirector own =
                new ActivationCountBasedPlacementDirector(ActivationCountBasedPlacementOptions.DEFAULT);
        registry.register(ActivationCountBasedPlacementStrategy.class, own);
        assertThat(registry.activationCountDirector()).isSameAs(own);
        registry.register(ActivationCountBasedPlacementStrategy.class, new RandomPlacementDirector());
        assertThat(registry.activationCountDirector())
                .as("a replacement of another kind takes no counts")
                .isNull();
        assertThat(new PlacementDirectorRegistry().activationCountDirector()).isNull();
    }

    @Test
    void theOptionsReachTheActivationCountDirector() {
        PlacementDirectorRegistry registry =
                PlacementDirectorRegistry.withDefaults(new ActivationCountBasedPlacementOptions(3));
        ActivationCountBasedPlacementDirector director = registry.activationCountDirector();
        var a = TestPlacementContext.silo("10.0.0.1", 1);
        var b = TestPlacementContext.silo("10.0.0.2", 1);
        var c = TestPlacementContext.silo("10.0.0.3", 1);
        director.updateActivationCount(a, 10);
        director.updateActivationCount(b, 10);
        director.updateActivationCount(c, 0);
        TestPlacementContext context = new TestPlacementContext(a, List.of(a, b, c));
        for (int i = 0; i < 10; i++) { // K = 3 sees every silo, K = 2 would miss c a third of the time
            assertThat(director.onAddActivation(
                                    ActivationCountBasedPlacementStrategy.INSTANCE,
                                    PlacementDirectorsTest.target("k" + i),
                                    context)
                            .join())
                    .isEqualTo(c);
        }
    }
}
