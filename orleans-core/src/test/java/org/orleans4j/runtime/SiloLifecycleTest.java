package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.orleans4j.runtime.SiloLifecycle.ShutdownBudget;

class SiloLifecycleTest {

    private final SiloLifecycle lifecycle = new SiloLifecycle();
    private final List<String> events = new ArrayList<>();

    private void subscribe(String name, int stage) {
        lifecycle.subscribe(name, stage, new SiloLifecycle.Participant() {
            @Override
            public void start() {
                events.add("start " + name);
            }

            @Override
            public void stop(ShutdownBudget budget) {
                events.add("stop " + name);
            }
        });
    }

    private static ShutdownBudget now() {
        long now = System.nanoTime();
        return new ShutdownBudget(now, now, now);
    }

    @Test
    void stagesStartInAscendingOrderAndStopInDescendingOrder() {
        subscribe("gateway", SiloLifecycle.GATEWAY);
        subscribe("timers", SiloLifecycle.RUNTIME_SERVICES);
        subscribe("membership", SiloLifecycle.CLUSTER_MEMBERSHIP);
        subscribe("agent", SiloLifecycle.APPLICATION_SERVICES);
        subscribe("publisher", SiloLifecycle.APPLICATION_SERVICES);

        lifecycle.start();
        lifecycle.stop(now());

        assertThat(events)
                .containsExactly(
                        "start timers",
                        "start membership",
                        "start agent",
                        "start publisher",
                        "start gateway",
                        "stop gateway",
                        "stop publisher",
                        "stop agent",
                        "stop membership",
                        "stop timers");
    }

    @Test
    void aFailedStartStopsWhatHadStartedAndRethrows() {
        subscribe("timers", SiloLifecycle.RUNTIME_SERVICES);
        lifecycle.subscribe("membership", SiloLifecycle.CLUSTER_MEMBERSHIP, new SiloLifecycle.Participant() {
            @Override
            public void start() {
                throw new IllegalStateException("table unreachable");
            }
        });
        subscribe("gateway", SiloLifecycle.GATEWAY);

        assertThatThrownBy(lifecycle::start).hasMessage("table unreachable");
        assertThat(events).containsExactly("start timers", "stop timers");

        lifecycle.stop(now());
        assertThat(events).containsExactly("start timers", "stop timers");
    }

    @Test
    void aFailingStopDoesNotKeepTheOthersFromStopping() {
        subscribe("timers", SiloLifecycle.RUNTIME_SERVICES);
        lifecycle.subscribe("membership", SiloLifecycle.CLUSTER_MEMBERSHIP, new SiloLifecycle.Participant() {
            @Override
            public void stop(ShutdownBudget budget) {
                throw new IllegalStateException("table unreachable");
            }
        });
        lifecycle.start();
        lifecycle.stop(now());
        assertThat(events).containsExactly("start timers", "stop timers");
    }

    @Test
    void subscribingAfterTheStartIsRefusedWithTheParticipantsName() {
        lifecycle.start();
        assertThatThrownBy(() -> subscribe("late agent", SiloLifecycle.APPLICATION_SERVICES))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("late agent");
    }
}
