package org.orleans4j.spring.silo.app;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.GrainBase;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;

/** Records the application's readiness at the moment it is deactivated. */
public class ReadinessGrainImpl extends GrainBase implements ReadinessGrain {

    private final ObjectProvider<ApplicationAvailability> availability;
    private final ObjectProvider<Observations> observations;

    public ReadinessGrainImpl(
            ObjectProvider<ApplicationAvailability> availability, ObjectProvider<Observations> observations) {
        this.availability = availability;
        this.observations = observations;
    }

    @Override
    public CompletableFuture<Void> touch() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> onDeactivate(DeactivationReason reason) {
        observations.ifAvailable(
                o -> o.readinessAtDeactivation.add(availability.getObject().getReadinessState()));
        return CompletableFuture.completedFuture(null);
    }

    /** A bean a test defines to learn what the grain saw. */
    public static final class Observations {
        public final List<ReadinessState> readinessAtDeactivation = new CopyOnWriteArrayList<>();
    }
}
