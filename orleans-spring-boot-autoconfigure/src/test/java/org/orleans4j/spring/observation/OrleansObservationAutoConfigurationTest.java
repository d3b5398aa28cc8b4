package org.orleans4j.spring.observation;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.observation.GrainObservations;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.observation.app.LoggingGrain;
import org.orleans4j.spring.observation.app.ObservedTestApplication;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The silo observes into the application's registry when there is one: its activations always, its
 * grain calls when a tracer reads them (or when asked), and nothing without a registry.
 */
class OrleansObservationAutoConfigurationTest {

    private final TestObservationRegistry registry = TestObservationRegistry.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(OrleansAutoConfiguration.class, OrleansObservationAutoConfiguration.class))
            .withUserConfiguration(ObservedTestApplication.class);

    /** Calls the logging grain {@code kiwi}; what the MDC held under the grain id key while it ran. */
    private static String call(AssertableApplicationContext context) {
        return context.getBean(GrainFactory.class)
                .getGrain(LoggingGrain.class, "kiwi")
                .mdc(GrainObservations.MDC_GRAIN_ID)
                .join();
    }

    private static String typeName(AssertableApplicationContext context) {
        return context.getBean(Silo.class)
                .grainTypes()
                .implementationOf(LoggingGrain.class)
                .typeName();
    }

    @Test
    void withATracerEveryGrainCallIsObservedOnBothSidesWithTheGrainIdInTheMdc() {
        runner.withBean(ObservationRegistry.class, () -> registry)
                .withBean(Tracer.class, () -> Tracer.NOOP)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    String grainIdInMdc = call(context);
                    String type = typeName(context);
                    assertThat(grainIdInMdc).contains("kiwi").contains(type);
                    assertThat(registry)
                            .hasObservationWithNameEqualTo(GrainObservations.OUTGOING_CALL)
                            .that()
                            .hasLowCardinalityKeyValue(GrainObservations.GRAIN_TYPE, type)
                            .hasLowCardinalityKeyValue(GrainObservations.METHOD, "mdc")
                            .hasLowCardinalityKeyValue(GrainObservations.OUTCOME, "success")
                            .hasBeenStopped();
                    assertThat(registry)
                            .hasObservationWithNameEqualTo(GrainObservations.INCOMING_CALL)
                            .that()
                            .hasHighCardinalityKeyValue(GrainObservations.GRAIN_ID, grainIdInMdc)
                            .hasBeenStopped();
                    assertThat(registry)
                            .hasObservationWithNameEqualTo(GrainObservations.ACTIVATION)
                            .that()
                            .hasLowCardinalityKeyValue(GrainObservations.OUTCOME, "success")
                            .hasBeenStopped();
                });
    }

    @Test
    void withoutATracerOnlyActivationsAreObservedUnlessCallsAreAskedFor() {
        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(call(context)).isEqualTo("null");
            assertThat(registry)
                    .hasObservationWithNameEqualTo(GrainObservations.ACTIVATION)
                    .that()
                    .hasBeenStopped();
            assertThat(registry).hasNumberOfObservationsWithNameEqualTo(GrainObservations.OUTGOING_CALL, 0);
            assertThat(registry).hasNumberOfObservationsWithNameEqualTo(GrainObservations.INCOMING_CALL, 0);
        });
        TestObservationRegistry always = TestObservationRegistry.create();
        runner.withBean(ObservationRegistry.class, () -> always)
                .withPropertyValues("orleans.observations.grain-calls=always")
                .run(context -> {
                    assertThat(call(context)).contains("kiwi");
                    assertThat(always).hasObservationWithNameEqualTo(GrainObservations.INCOMING_CALL);
                });
    }

    @Test
    void neverKeepsCallsUnobservedEvenWithATracer() {
        runner.withBean(ObservationRegistry.class, () -> registry)
                .withBean(Tracer.class, () -> Tracer.NOOP)
                .withPropertyValues("orleans.observations.grain-calls=never")
                .run(context -> {
                    assertThat(call(context)).isEqualTo("null");
                    assertThat(registry).hasNumberOfObservationsWithNameEqualTo(GrainObservations.INCOMING_CALL, 0);
                    assertThat(registry).hasObservationWithNameEqualTo(GrainObservations.ACTIVATION);
                });
    }

    @Test
    void withoutARegistryTheSiloMakesNoObservationsAndLeavesTheMdcAlone() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("orleansSiloObservations");
            assertThat(call(context)).isEqualTo("null");
        });
    }

    @Test
    void aBadValueFailsStartupNamingTheProperty() {
        runner.withBean(ObservationRegistry.class, () -> registry)
                .withPropertyValues("orleans.observations.grain-calls=sometimes")
                .run(context ->
                        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("sometimes"));
        runner.withBean(ObservationRegistry.class, () -> registry)
                .withPropertyValues("orleans.observations.grain-calls=sometimes")
                .run(context -> assertThat(context.getStartupFailure())
                        .hasStackTraceContaining("orleans.observations.grain-calls"));
    }
}
