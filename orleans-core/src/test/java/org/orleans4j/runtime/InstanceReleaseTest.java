package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.catalog.GrainActivator;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainContext;
import org.orleans4j.grain.GrainId;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.runtime.LifecycleGrains.Tracked;

/**
 * A deactivated grain's instance is released while the activation still holds its directory entry: no
 * other silo can create the grain's next instance until the container's destruction callbacks of this
 * one have run.
 */
class InstanceReleaseTest {

    private Silo silo;

    @AfterEach
    void stop() {
        if (silo != null) {
            silo.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void theInstanceIsReleasedBeforeTheActivationLeavesTheDirectory() throws Exception {
        List<String> entriesAtRelease = new CopyOnWriteArrayList<>();
        ReflectionGrainActivator reflection = new ReflectionGrainActivator();
        GrainActivator recording = new GrainActivator() {
            @Override
            public Object createInstance(GrainClassMetadata grainClass, GrainContext context) {
                return reflection.createInstance(grainClass, context);
            }

            @Override
            public void releaseInstance(GrainClassMetadata grainClass, Object grain) {
                GrainId id = ((GrainBase) grain).grainId();
                Object entry = silo.grainDirectory().lookup(id).join();
                entriesAtRelease.add(id.key() + " -> " + (entry == null ? "no entry" : "registered"));
            }
        };
        silo = StandaloneSilos.start(b -> b.activator(recording).addGrainClass(LifecycleGrains.TrackedGrain.class));
        Tracked grain = silo.grainFactory().getGrain(Tracked.class, "released");
        String first = grain.activationId().get(5, TimeUnit.SECONDS);

        grain.deactivate().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> !entriesAtRelease.isEmpty());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> silo.grainDirectory()
                                .lookup(GrainId.ofString("tracked", "released"))
                                .join()
                        == null);

        assertThat(entriesAtRelease).containsExactly("released -> registered");
        assertThat(grain.activationId().get(5, TimeUnit.SECONDS))
                .as("the next call activates the grain again")
                .isNotEqualTo(first);
    }
}
