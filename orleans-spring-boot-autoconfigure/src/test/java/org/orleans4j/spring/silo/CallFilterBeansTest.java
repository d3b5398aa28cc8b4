package org.orleans4j.spring.silo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.orleans4j.calls.IncomingGrainCallFilter;
import org.orleans4j.calls.OutgoingGrainCallFilter;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.spring.silo.app.GrainTestApplication;
import org.orleans4j.spring.silo.app.GreeterGrain;
import org.orleans4j.spring.silo.app.PinnedDirector;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Filter beans are picked up by the silo and run in {@code @Order}. */
class CallFilterBeansTest {

    @Configuration(proxyBeanMethods = false)
    static class Filters {
        final Queue<String> log = new ConcurrentLinkedQueue<>();

        /** The test application's pinned grain needs its director. */
        @Bean
        PinnedDirector pinnedDirector() {
            return new PinnedDirector();
        }

        // Declared second-first on purpose: @Order decides, not the declaration order.
        @Bean
        @Order(2)
        IncomingGrainCallFilter second() {
            return call -> {
                log.add("second:" + call.method().getName());
                return call.proceed();
            };
        }

        @Bean
        @Order(1)
        IncomingGrainCallFilter first() {
            return call -> {
                log.add("first:" + call.interfaceType().getSimpleName() + "."
                        + call.method().getName() + Arrays.toString(call.arguments()) + " on "
                        + call.grainId().key());
                if (call.method().getName().equals("instanceNumber")) {
                    return CompletableFuture.completedFuture(-1);
                }
                return call.proceed();
            };
        }

        @Bean
        OutgoingGrainCallFilter outgoing() {
            return call -> {
                log.add("outgoing:" + call.method().getName());
                return call.proceed();
            };
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OrleansAutoConfiguration.class))
            .withUserConfiguration(GrainTestApplication.class, Filters.class);

    @Test
    void filterBeansSeeEveryCallInOrderAndMayAnswerOne() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            Queue<String> log = context.getBean(Filters.class).log;
            GrainFactory grains = context.getBean(GrainFactory.class);

            assertThat(grains.getGrain(GreeterGrain.class, "world").greet().join())
                    .isEqualTo("Hello, world");
            assertThat(grains.getGrain(GreeterGrain.class, "world")
                            .instanceNumber()
                            .join())
                    .as("answered by the first filter")
                    .isEqualTo(-1);

            assertThat(List.copyOf(log))
                    .containsExactly(
                            "outgoing:greet",
                            "first:GreeterGrain.greet[] on world",
                            "second:greet",
                            "outgoing:instanceNumber",
                            "first:GreeterGrain.instanceNumber[] on world");
        });
    }
}
