package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.ActivationFailedException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.runtime.LifecycleGrains.FailingActivation;
import org.orleans4j.runtime.LifecycleGrains.FailingActivationGrain;
import org.orleans4j.runtime.LifecycleGrains.Keys;
import org.orleans4j.runtime.LifecycleGrains.Pinned;
import org.orleans4j.runtime.LifecycleGrains.SlowActivation;
import org.orleans4j.runtime.LifecycleGrains.Tracked;
import org.orleans4j.runtime.LifecycleGrains.UuidKeys;

class ActivationLifecycleTest {

    private Silo silo;

    @BeforeEach
    void start() {
        LifecycleGrains.EVENTS.clear();
        silo = StandaloneSilos.start(b -> b.collectionOptions(StandaloneSilos.collection(
                        Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofMillis(500)))
                .addGrainClass(LifecycleGrains.TrackedGrain.class)
                .addGrainClass(LifecycleGrains.PinnedGrain.class)
                .addGrainClass(LifecycleGrains.SlowActivationGrain.class)
                .addGrainClass(LifecycleGrains.FailingActivationGrain.class)
                .addGrainClass(LifecycleGrains.KeysGrain.class)
                .addGrainClass(LifecycleGrains.UuidKeysGrain.class));
    }

    @AfterEach
    void stop() {
        silo.stop(Duration.ofSeconds(5));
    }

    @Test
    void activatesOnFirstCallOnceAndRunsOnActivateBeforeTheRequest() {
        Tracked grain = silo.grainFactory().getGrain(Tracked.class, "a");
        assertThat(silo.catalog().activationCount())
                .as("a reference activates nothing")
                .isZero();

        String first = grain.activationId().join();
        String second =
                silo.grainFactory().getGrain(Tracked.class, "a").activationId().join();

        assertThat(second).isEqualTo(first);
        assertThat(LifecycleGrains.events()).containsExactly("activate:a", "call:a", "call:a");
        assertThat(silo.catalog().activationCount()).isEqualTo(1);
        assertThat(silo.catalog().activationCountsByType()).containsEntry("tracked", 1);
    }

    @Test
    void idleActivationIsCollectedAfterItsAgeAndTheNextCallActivatesAgain() {
        Tracked grain = silo.grainFactory().getGrain(Tracked.class, "idle");
        String first = grain.activationId().join();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> LifecycleGrains.events().contains("deactivate:idle:IDLE"));
        await().atMost(Duration.ofSeconds(5)).until(() -> silo.catalog().activationCount() == 0);

        String second = grain.activationId().join();
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void busyActivationIsNotCollected() {
        Tracked grain = silo.grainFactory().getGrain(Tracked.class, "busy");
        String first = grain.activationId().join();
        long until = System.nanoTime() + Duration.ofMillis(900).toNanos();
        while (System.nanoTime() < until) {
            assertThat(grain.activationId().join()).isEqualTo(first);
        }
        assertThat(LifecycleGrains.events()).doesNotContain("deactivate:busy:IDLE");
    }

    @Test
    void alwaysActiveGrainIsNeverCollected() {
        Pinned pinned = silo.grainFactory().getGrain(Pinned.class, "p");
        Tracked tracked = silo.grainFactory().getGrain(Tracked.class, "t");
        String id = pinned.activationId().join();
        tracked.activationId().join();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> LifecycleGrains.events().contains("deactivate:t:IDLE"));
        assertThat(pinned.activationId().join()).isEqualTo(id);
    }

    @Test
    void deactivateOnIdleEndsTheActivationAfterTheRequest() {
        Tracked grain = silo.grainFactory().getGrain(Tracked.class, "d");
        String first = grain.activationId().join();
        grain.deactivate().join();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> LifecycleGrains.events().contains("deactivate:d:APPLICATION_REQUESTED"));
        assertThat(grain.activationId().join()).isNotEqualTo(first);
    }

    @Test
    void activationTimeoutFailsTheWaitingCallsAndTheNextCallTriesAgain() {
        LifecycleGrains.slowActivation = new java.util.concurrent.CompletableFuture<>();
        SlowActivation grain = silo.grainFactory().getGrain(SlowActivation.class, "slow");

        assertThatThrownBy(() -> grain.ping().join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(ActivationFailedException.class)
                .hasMessageContaining("slow")
                .rootCause()
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat(silo.catalog().activationCount()).isZero();

        LifecycleGrains.slowActivation = java.util.concurrent.CompletableFuture.completedFuture(null);
        assertThat(grain.ping().join()).isEqualTo("pong");
    }

    @Test
    void failingOnActivateFailsTheCallWithTheCause() {
        FailingActivationGrain.fail = true;
        FailingActivation grain = silo.grainFactory().getGrain(FailingActivation.class, "f");
        assertThatThrownBy(() -> grain.ping().join())
                .cause()
                .isInstanceOf(ActivationFailedException.class)
                .hasRootCauseMessage("boom in onActivate");
        FailingActivationGrain.fail = false;
        assertThat(grain.ping().join()).isEqualTo("pong");
    }

    @Test
    void stopDeactivatesEveryActivationAndRejectsNewOnes() {
        for (int i = 0; i < 10; i++) {
            silo.grainFactory().getGrain(Tracked.class, "s" + i).activationId().join();
        }
        silo.stop(Duration.ofSeconds(5));

        assertThat(LifecycleGrains.events())
                .filteredOn(e -> e.endsWith(":SHUTTING_DOWN"))
                .hasSize(10);
        assertThat(silo.status()).isEqualTo(SiloStatus.DEAD);
        assertThat(silo.catalog().activationCount()).isZero();
        assertThatThrownBy(() -> silo.grainFactory()
                        .getGrain(Tracked.class, "late")
                        .activationId()
                        .join())
                .cause()
                .isInstanceOf(SiloUnavailableException.class);
    }

    @Test
    void longAndUuidKeysRoundTripAndNameTheGrainType() {
        UUID uuid = UUID.randomUUID();
        assertThat(silo.grainFactory().getGrain(Keys.class, 42L).key().join()).isEqualTo(42L);
        assertThat(silo.grainFactory().getGrain(UuidKeys.class, uuid).key().join())
                .isEqualTo(uuid);
        assertThat(silo.catalog().activationCountsByType())
                .containsEntry("keys", 1)
                .containsEntry("uuidkeys", 1);
        assertThat(silo.grainFactory().getGrain(Keys.class, 42L))
                .isEqualTo(silo.grainFactory().getGrain(Keys.class, GrainId.ofLong("keys", 42)))
                .hasToString("Keys[keys/42]");
    }
}
