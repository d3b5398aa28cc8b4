package org.orleans4j.spring.silo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.orleans4j.calls.CallRetryOptions;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.persistence.MemoryGrainStorage;
import org.orleans4j.placement.ActivationCountBasedPlacementStrategy;
import org.orleans4j.placement.HashBasedPlacementStrategy;
import org.orleans4j.placement.PlacementStrategy;
import org.orleans4j.placement.RandomPlacementStrategy;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.autoconfigure.OrleansProperties;
import org.orleans4j.spring.silo.app.CounterGrain;
import org.orleans4j.spring.silo.app.CounterGrainImpl;
import org.orleans4j.spring.silo.app.GrainTestApplication;
import org.orleans4j.spring.silo.app.GreeterGrain;
import org.orleans4j.spring.silo.app.GreeterGrainImpl;
import org.orleans4j.spring.silo.app.PinnedDirector;
import org.orleans4j.spring.silo.app.PinnedGrain;
import org.orleans4j.spring.silo.app.PinnedGrainImpl;
import org.orleans4j.spring.silo.app.PinnedStrategy;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class OrleansAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OrleansAutoConfiguration.class))
            .withUserConfiguration(GrainTestApplication.class, CustomPlacementConfiguration.class);

    @Configuration(proxyBeanMethods = false)
    static class CustomPlacementConfiguration {
        @Bean
        PinnedDirector pinnedDirector() {
            return new PinnedDirector();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DefaultStrategyConfiguration {
        @Bean
        PlacementStrategy defaultPlacementStrategy() {
            return ActivationCountBasedPlacementStrategy.INSTANCE;
        }
    }

    @Test
    void scannedGrainsArePrototypeBeansWithInjectionAndCanBeCalled() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Silo.class).hasSingleBean(GrainFactory.class);
            BeanDefinition definition = context.getBeanFactory().getBeanDefinition(GreeterGrainImpl.class.getName());
            assertThat(definition.getScope()).isEqualTo(BeanDefinition.SCOPE_PROTOTYPE);
            assertThat(context.getBeanFactory()
                            .getBeanDefinition(CounterGrainImpl.class.getName())
                            .getScope())
                    .isEqualTo(BeanDefinition.SCOPE_PROTOTYPE);

            GrainFactory grains = context.getBean(GrainFactory.class);
            assertThat(grains.getGrain(GreeterGrain.class, "world").greet().join())
                    .isEqualTo("Hello, world");
            int a = grains.getGrain(GreeterGrain.class, "a").instanceNumber().join();
            int b = grains.getGrain(GreeterGrain.class, "b").instanceNumber().join();
            assertThat(a).as("one instance per activation").isNotEqualTo(b);
            assertThat(grains.getGrain(GreeterGrain.class, "a").instanceNumber().join())
                    .isEqualTo(a);
        });
    }

    @Test
    void placementAnnotationsChooseStrategiesAndCustomDirectorBeansArePickedUp() {
        runner.run(context -> {
            Silo silo = context.getBean(Silo.class);
            assertThat(silo.grainTypes().implementationOf(GreeterGrain.class).placementStrategy())
                    .isInstanceOf(HashBasedPlacementStrategy.class);
            assertThat(silo.grainTypes().implementationOf(CounterGrain.class).placementStrategy())
                    .isInstanceOf(RandomPlacementStrategy.class);
            assertThat(silo.grainTypes().implementationOf(PinnedGrain.class).placementStrategy())
                    .isInstanceOf(PinnedStrategy.class);
            assertThat(silo.grainTypes().implementationOf(PinnedGrain.class).grainClass())
                    .isEqualTo(PinnedGrainImpl.class);

            PinnedDirector director = context.getBean(PinnedDirector.class);
            GrainFactory grains = context.getBean(GrainFactory.class);
            assertThat(grains.getGrain(PinnedGrain.class, "x").where().join()).isEqualTo("x");
            assertThat(grains.getGrain(PinnedGrain.class, "y").where().join()).isEqualTo("y");
            assertThat(director.placements.get()).isEqualTo(2);
        });
    }

    @Test
    void aPlacementStrategyBeanReplacesTheDefault() {
        runner.withUserConfiguration(DefaultStrategyConfiguration.class).run(context -> {
            Silo silo = context.getBean(Silo.class);
            assertThat(silo.grainTypes().implementationOf(CounterGrain.class).placementStrategy())
                    .isInstanceOf(ActivationCountBasedPlacementStrategy.class);
            assertThat(silo.grainTypes().implementationOf(GreeterGrain.class).placementStrategy())
                    .as("an annotation still wins")
                    .isInstanceOf(HashBasedPlacementStrategy.class);
            assertThat(context.getBean(GrainFactory.class)
                            .getGrain(CounterGrain.class, 1L)
                            .increment()
                            .join())
                    .isEqualTo(1L);
        });
    }

    @Test
    void withoutAGrainStorageBeanStateLivesInMemory() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(GrainStorage.class);
            assertThat(context.getBean(GrainStorage.class)).isInstanceOf(MemoryGrainStorage.class);
            CounterGrain counter = context.getBean(GrainFactory.class).getGrain(CounterGrain.class, 7L);
            counter.increment().join();
            assertThat(counter.increment().join()).isEqualTo(2L);
            assertThat(CounterGrainImpl.class).isNotNull();
        });
    }

    @Test
    void siloStartsAndStopsWithTheContext() {
        Silo[] silo = new Silo[1];
        runner.run(context -> {
            silo[0] = context.getBean(Silo.class);
            assertThat(silo[0].status()).isEqualTo(SiloStatus.ACTIVE);
        });
        assertThat(silo[0].status()).isEqualTo(SiloStatus.DEAD);
    }

    @Test
    void propertiesConfigureTheSilo() {
        runner.withPropertyValues(
                        "orleans.cluster.service-id=svc",
                        "orleans.cluster.cluster-id=blue",
                        "orleans.silo.name=silo-7",
                        "orleans.endpoints.silo-port=12345",
                        "orleans.endpoints.advertised-address=10.1.2.3",
                        "orleans.grain-collection.collection-age=2m")
                .run(context -> {
                    Silo silo = context.getBean(Silo.class);
                    assertThat(silo.clusterOptions().serviceId()).isEqualTo("svc");
                    assertThat(silo.clusterOptions().clusterId()).isEqualTo("blue");
                    assertThat(silo.siloOptions().siloName()).isEqualTo("silo-7");
                    assertThat(silo.address().port()).isEqualTo(12345);
                    assertThat(silo.address().host()).isEqualTo("10.1.2.3");
                    OrleansProperties properties = context.getBean(OrleansProperties.class);
                    assertThat(properties.grainCollection().collectionAge()).hasMinutes(2);
                    assertThat(properties.endpoints().gatewayPort()).isEqualTo(30000);
                });
    }

    @Test
    void aNegativePortFailsStartupNamingTheProperty() {
        runner.withPropertyValues("orleans.endpoints.silo-port=-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("orleans.endpoints.silo-port")
                    .hasMessageContaining("-1");
        });
    }

    @Test
    void aCustomStrategyWithoutItsDirectorFailsStartupSayingWhatToRegister() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(OrleansAutoConfiguration.class))
                .withUserConfiguration(GrainTestApplication.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining(PinnedStrategy.class.getName())
                            .hasMessageContaining("register a PlacementDirector");
                });
    }

    @Test
    void aZeroCollectionAgeFailsStartupNamingTheProperty() {
        runner.withPropertyValues("orleans.grain-collection.collection-age=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("orleans.grain-collection.collection-age");
        });
    }

    @Test
    void retriesRunUntilTheResponseTimeoutByDefaultAndCanBeTurnedOff() {
        runner.run(context -> {
            CallRetryOptions options =
                    context.getBean(OrleansProperties.class).messaging().callRetryOptions();
            assertThat(options).isEqualTo(CallRetryOptions.DEFAULT);
            assertThat(options.enabled()).isTrue();
            assertThat(options.initialBackoff()).isEqualTo(Duration.ofMillis(50));
            assertThat(options.maxBackoff()).isEqualTo(Duration.ofSeconds(1));
        });
        runner.withPropertyValues(
                        "orleans.messaging.retry.enabled=false",
                        "orleans.messaging.retry.initial-backoff=20ms",
                        "orleans.messaging.retry.max-backoff=500ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(OrleansProperties.class)
                                    .messaging()
                                    .callRetryOptions())
                            .isEqualTo(new CallRetryOptions(false, Duration.ofMillis(20), Duration.ofMillis(500)));
                });
    }

    @Test
    void aMaxBackoffBelowTheInitialBackoffFailsStartupNamingBothProperties() {
        runner.withPropertyValues(
                        "orleans.messaging.retry.initial-backoff=2s", "orleans.messaging.retry.max-backoff=1s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("orleans.messaging.retry.max-backoff")
                            .hasMessageContaining("orleans.messaging.retry.initial-backoff");
                });
        runner.withPropertyValues("orleans.messaging.retry.initial-backoff=0ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("orleans.messaging.retry.initial-backoff");
        });
    }

    @Test
    void theEventLoopLingerIsBoundAndALongerOneFailsStartupNamingTheProperty() {
        for (String linger : List.of("0", "250us", "1ms")) {
            runner.withPropertyValues("orleans.messaging.event-loop-linger=" + linger)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(OrleansProperties.class)
                                        .messaging()
                                        .messagingOptions()
                                        .eventLoopLinger())
                                .isEqualTo(DurationStyle.detectAndParse(linger));
                    });
        }
        runner.withPropertyValues("orleans.messaging.event-loop-linger=2ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("orleans.messaging.event-loop-linger");
        });
    }
}
