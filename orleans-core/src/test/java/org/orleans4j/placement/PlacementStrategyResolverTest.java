package org.orleans4j.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;

class PlacementStrategyResolverTest {

    private final PlacementStrategyResolver resolver = new PlacementStrategyResolver();

    @RandomPlacement
    static class RandomGrain {}

    @PreferLocalPlacement
    static class LocalGrain {}

    @HashBasedPlacement
    static class HashGrain {}

    @ActivationCountBasedPlacement
    static class CountedGrain {}

    @StatelessWorker(maxLocalWorkers = 4)
    static class WorkerGrain {}

    @SiloRoleBasedPlacement
    static class RoleGrain {}

    static class PlainGrain {}

    static class InheritsHash extends HashGrain {}

    @PreferLocalPlacement
    static class OverridesHash extends HashGrain {}

    @HashBasedPlacement
    @RandomPlacement
    static class ConfusedGrain {}

    /** A custom strategy taking parameters from its annotation. */
    public static final class ZoneStrategy extends PlacementStrategy {
        final String zone;

        public ZoneStrategy(Zone annotation) {
            this.zone = annotation.value();
        }
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Placement(ZoneStrategy.class)
    @interface Zone {
        String value();
    }

    @Zone("eu-west")
    static class ZonedGrain {}

    /** Not @Inherited: subclasses of a class using it do not get it. */
    static class InheritsZone extends ZonedGrain {}

    public static final class Unbuildable extends PlacementStrategy {
        public Unbuildable(String nope) {}
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Inherited
    @Placement(Unbuildable.class)
    @interface UnbuildablePlacement {}

    @UnbuildablePlacement
    static class UnbuildableGrain {}

    public static final class Exploding extends PlacementStrategy {
        public Exploding() {
            throw new IllegalStateException("boom");
        }
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Placement(Exploding.class)
    @interface ExplodingPlacement {}

    @ExplodingPlacement
    static class ExplodingGrain {}

    @Test
    void eachBuiltInAnnotationGivesItsStrategy() {
        assertThat(resolver.resolve(RandomGrain.class)).isEqualTo(RandomPlacementStrategy.INSTANCE);
        assertThat(resolver.resolve(LocalGrain.class)).isEqualTo(PreferLocalPlacementStrategy.INSTANCE);
        assertThat(resolver.resolve(HashGrain.class)).isEqualTo(HashBasedPlacementStrategy.INSTANCE);
        assertThat(resolver.resolve(CountedGrain.class)).isEqualTo(ActivationCountBasedPlacementStrategy.INSTANCE);
        assertThat(resolver.resolve(WorkerGrain.class)).isEqualTo(new StatelessWorkerPlacementStrategy(4));
        assertThat(resolver.resolve(RoleGrain.class)).isEqualTo(SiloRoleBasedPlacementStrategy.INSTANCE);
    }

    @Test
    void withoutAnnotationTheConfiguredDefaultApplies() {
        assertThat(resolver.defaultStrategy()).isSameAs(RandomPlacementStrategy.INSTANCE);
        assertThat(resolver.resolve(PlainGrain.class)).isSameAs(RandomPlacementStrategy.INSTANCE);
        PlacementStrategyResolver preferLocal = new PlacementStrategyResolver(PreferLocalPlacementStrategy.INSTANCE);
        assertThat(preferLocal.resolve(PlainGrain.class)).isSameAs(PreferLocalPlacementStrategy.INSTANCE);
        assertThat(preferLocal.resolve(HashGrain.class))
                .as("an annotation beats the default")
                .isEqualTo(HashBasedPlacementStrategy.INSTANCE);
    }

    @Test
    void inheritedAnnotationsApplyAndTheNearestOneWins() {
        assertThat(resolver.resolve(InheritsHash.class)).isEqualTo(HashBasedPlacementStrategy.INSTANCE);
        assertThat(resolver.resolve(OverridesHash.class)).isEqualTo(PreferLocalPlacementStrategy.INSTANCE);
        assertThat(resolver.resolve(InheritsZone.class))
                .as("a non-@Inherited annotation stays on its class")
                .isSameAs(RandomPlacementStrategy.INSTANCE);
    }

    @Test
    void aStrategyIsBuiltWithItsAnnotationWhenItsConstructorTakesIt() {
        assertThat(resolver.resolve(ZonedGrain.class))
                .isInstanceOfSatisfying(
                        ZoneStrategy.class, zone -> assertThat(zone.zone).isEqualTo("eu-west"));
    }

    @Test
    void resultsAreCachedPerClass() {
        assertThat(resolver.resolve(ZonedGrain.class)).isSameAs(resolver.resolve(ZonedGrain.class));
    }

    @Test
    void twoPlacementAnnotationsAreAnError() {
        assertThatThrownBy(() -> resolver.resolve(ConfusedGrain.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ConfusedGrain.class.getName())
                .hasMessageContaining("several placement annotations");
    }

    @Test
    void aStrategyWithoutAUsableConstructorIsAClearError() {
        assertThatThrownBy(() -> resolver.resolve(UnbuildableGrain.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unbuildable.class.getName())
                .hasMessageContaining(UnbuildableGrain.class.getName())
                .hasMessageContaining(
                        "public constructor taking @UnbuildablePlacement or a public no-argument constructor");
        assertThatThrownBy(() -> resolver.resolve(ExplodingGrain.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ExplodingGrain.class.getName())
                .hasRootCauseMessage("boom");
    }
}
