package org.orleans4j.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementStrategiesTest {

    private static final Map<Class<? extends Annotation>, Class<? extends PlacementStrategy>> BUILT_INS = Map.of(
            RandomPlacement.class, RandomPlacementStrategy.class,
            PreferLocalPlacement.class, PreferLocalPlacementStrategy.class,
            HashBasedPlacement.class, HashBasedPlacementStrategy.class,
            ActivationCountBasedPlacement.class, ActivationCountBasedPlacementStrategy.class,
            StatelessWorker.class, StatelessWorkerPlacementStrategy.class,
            SiloRoleBasedPlacement.class, SiloRoleBasedPlacementStrategy.class);

    @Test
    void everyBuiltInAnnotationIsARuntimeInheritedTypeAnnotationNamingItsStrategy() {
        BUILT_INS.forEach((annotation, strategy) -> {
            assertThat(annotation.getAnnotation(Retention.class).value())
                    .as(annotation.getName())
                    .isEqualTo(RetentionPolicy.RUNTIME);
            assertThat(annotation.getAnnotation(Target.class).value())
                    .as(annotation.getName())
                    .containsExactly(ElementType.TYPE);
            assertThat(annotation.isAnnotationPresent(Inherited.class))
                    .as(annotation.getName())
                    .isTrue();
            assertThat(annotation.getAnnotation(Placement.class).value())
                    .as(annotation.getName())
                    .isEqualTo(strategy);
        });
    }

    @Test
    void statelessStrategiesAreValuesWithASingleton() {
        assertThat(new RandomPlacementStrategy())
                .isEqualTo(RandomPlacementStrategy.INSTANCE)
                .hasSameHashCodeAs(RandomPlacementStrategy.INSTANCE)
                .isNotEqualTo(PreferLocalPlacementStrategy.INSTANCE);
        assertThat(new HashBasedPlacementStrategy()).isEqualTo(HashBasedPlacementStrategy.INSTANCE);
        assertThat(new PreferLocalPlacementStrategy()).isEqualTo(PreferLocalPlacementStrategy.INSTANCE);
        assertThat(new ActivationCountBasedPlacementStrategy())
                .isEqualTo(ActivationCountBasedPlacementStrategy.INSTANCE);
        assertThat(new SiloRoleBasedPlacementStrategy()).isEqualTo(SiloRoleBasedPlacementStrategy.INSTANCE);
        assertThat(RandomPlacementStrategy.INSTANCE).hasToString("RandomPlacementStrategy");
    }

    @Test
    void onlyStatelessWorkersBypassTheGrainDirectory() {
        assertThat(StatelessWorkerPlacementStrategy.INSTANCE.isUsingGrainDirectory())
                .isFalse();
        assertThat(RandomPlacementStrategy.INSTANCE.isUsingGrainDirectory()).isTrue();
        assertThat(PreferLocalPlacementStrategy.INSTANCE.isUsingGrainDirectory())
                .isTrue();
        assertThat(HashBasedPlacementStrategy.INSTANCE.isUsingGrainDirectory()).isTrue();
        assertThat(ActivationCountBasedPlacementStrategy.INSTANCE.isUsingGrainDirectory())
                .isTrue();
        assertThat(SiloRoleBasedPlacementStrategy.INSTANCE.isUsingGrainDirectory())
                .isTrue();
    }

    @StatelessWorker
    static class DefaultWorker {}

    @StatelessWorker(maxLocalWorkers = 3)
    static class ThreeWorkers {}

    @Test
    void statelessWorkerMaximumDefaultsToTheCoresAndTakesPartInEquality() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(StatelessWorkerPlacementStrategy.INSTANCE.maxLocalWorkers()).isEqualTo(cores);
        assertThat(new StatelessWorkerPlacementStrategy(-1).maxLocalWorkers()).isEqualTo(cores);
        assertThat(new StatelessWorkerPlacementStrategy(DefaultWorker.class.getAnnotation(StatelessWorker.class))
                        .maxLocalWorkers())
                .isEqualTo(cores);
        StatelessWorkerPlacementStrategy three =
                new StatelessWorkerPlacementStrategy(ThreeWorkers.class.getAnnotation(StatelessWorker.class));
        assertThat(three.maxLocalWorkers()).isEqualTo(3);
        assertThat(three)
                .isEqualTo(new StatelessWorkerPlacementStrategy(3))
                .hasSameHashCodeAs(new StatelessWorkerPlacementStrategy(3))
                .isNotEqualTo(new StatelessWorkerPlacementStrategy(4))
                .hasToString("StatelessWorkerPlacementStrategy(maxLocalWorkers=3)");
        assertThatThrownBy(() -> new StatelessWorkerPlacementStrategy(-2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxLocalWorkers");
    }
}
