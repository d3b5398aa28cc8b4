package org.orleans4j.spring.observation;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.observation.GrainObservations;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.observation.app.LoggingGrain;
import org.orleans4j.spring.observation.app.ObservedTestApplication;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The silo observes into the application's registry when there is one, and costs nothing when not. */
class OrleansObservationAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(OrleansAutoConfiguration.class, OrleansObservationAutoConfiguration.class))
            .withUserConfiguration(ObservedTestApplication.class);

    @Test
    void aSiloObservesItsGrainCallsIntoTheApplicationsRegistryWithTheGrainIdInTheMdc() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            assertThat(context).hasNotFailed().hasBean("orleansSiloObservations");
            GrainFactory grains = context.getBean(GrainFactory.class);
            String grainIdInMdc = grains.getGrain(LoggingGrain.class, "kiwi")
                    .mdc(GrainObservations.MDC_GRAIN_ID)
                    .join();
            String type = context.getBean(Silo.class)
                    .grainTypes()
                    .implementationOf(LoggingGrain.class)
                    .typeName();
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
                    .hasBeenStopped();
        });
    }

    @Test
    void withoutARegistryTheSiloMakesNoObservationsAndLeavesTheMdcAlone() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("orleansSiloObservations");
            String grainIdInMdc = context.getBean(GrainFactory.class)
                    .getGrain(LoggingGrain.class, "kiwi")
                    .mdc(GrainObservations.MDC_GRAIN_ID)
                    .join();
            assertThat(grainIdInMdc).isEqualTo("null");
        });
    }
}
