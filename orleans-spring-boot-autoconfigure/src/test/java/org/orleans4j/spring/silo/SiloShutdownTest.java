package org.orleans4j.spring.silo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.persistence.GrainState;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.persistence.MemoryGrainStorage;
import org.orleans4j.spring.silo.app.GrainTestApplication;
import org.orleans4j.spring.silo.app.PinnedDirector;
import org.orleans4j.spring.silo.app.ReadinessGrain;
import org.orleans4j.spring.silo.app.ReadinessGrainImpl.Observations;
import org.orleans4j.spring.silo.app.VisitsGrain;
import org.orleans4j.spring.silo.app.VisitsGrainImpl.Visits;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Closing the context deactivates every grain, running onDeactivate, before the silo ends; readiness
 * already refuses traffic by then, web server or not.
 */
class SiloShutdownTest {

    static final MemoryGrainStorage STORAGE = new MemoryGrainStorage();

    @Configuration(proxyBeanMethods = false)
    static class Storage {
        @Bean
        GrainStorage grainStorage() {
            return STORAGE;
        }

        @Bean
        PinnedDirector pinnedDirector() { // the test application's custom strategy needs its director
            return new PinnedDirector();
        }
    }

    @Test
    void closingTheContextDeactivatesGrainsSoTheyCanWriteTheirState() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(OrleansAutoConfiguration.class))
                .withUserConfiguration(GrainTestApplication.class, Storage.class)
                .run(context -> {
                    VisitsGrain grain = context.getBean(GrainFactory.class).getGrain(VisitsGrain.class, "home");
                    grain.visit().join();
                    grain.visit().join();
                    assertThat(grain.visit().join()).isEqualTo(3);
                });
        GrainState<Visits> stored = new GrainState<>(Visits.class, () -> new Visits(0));
        STORAGE.readState("visits", GrainId.ofString("visits", "home"), stored).join();
        assertThat(stored.recordExists()).isTrue();
        assertThat(stored.state().count()).isEqualTo(3);
    }

    @Test
    void readinessRefusesTrafficBeforeTheSiloDeactivatesItsGrains() {
        Observations observations = new Observations();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        OrleansAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class))
                .withUserConfiguration(GrainTestApplication.class, Storage.class)
                .withBean(Observations.class, () -> observations)
                .run(context -> {
                    // What SpringApplication publishes once the application is ready; a context without a web
                    // server publishes nothing when it closes.
                    AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
                    assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
                            .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
                    context.getBean(GrainFactory.class)
                            .getGrain(ReadinessGrain.class, "probe")
                            .touch()
                            .join();
                    assertThat(observations.readinessAtDeactivation).isEmpty();
                });
        assertThat(observations.readinessAtDeactivation).containsExactly(ReadinessState.REFUSING_TRAFFIC);
    }
}
