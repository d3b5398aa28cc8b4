package org.orleans4j.catalog.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.IncomingGrainCallFilter;
import org.orleans4j.catalog.ActivationStatistics;
import org.orleans4j.catalog.GrainActivator;
import org.orleans4j.catalog.GrainCollectionOptions;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.directory.GrainDirectory;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.observation.GrainObservations;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.reminders.internal.ReminderRegistry;

/**
 * The activations of one silo, by grain id (stateless workers: a group of activations per id).
 * Creates activations on demand and removes them when they deactivate; the single activations are kept
 * in an {@link ActivationTable} that the distributed directory reads too.
 */
public final class Catalog {

    private final SiloAddress localSilo;
    private final Executor scheduler;
    private final ScheduledExecutorService timer;
    private final GrainCollectionOptions options;
    private final GrainDirectory directory;
    private final GrainActivator activator;
    private final GrainStorageRegistry storages;
    private final ActivationTable activations;
    private final ConcurrentHashMap<GrainId, StatelessWorkerGroup> workers = new ConcurrentHashMap<>();
    private final AtomicInteger workerCount = new AtomicInteger();
    private final ActivationCounters statistics = new ActivationCounters();
    private volatile boolean accepting = true;
    private GrainFactory grainFactory;
    /** Where grains register durable reminders; {@code null} when the silo has no reminder table. */
    private final @Nullable ReminderRegistry reminders;

    private Consumer<Request> forwarder;

    private final List<IncomingGrainCallFilter> incomingFilters;
    private final GrainObservations observations;

    public Catalog(
            SiloAddress localSilo,
            Executor scheduler,
            ScheduledExecutorService timer,
            GrainCollectionOptions options,
            ActivationTable activations,
            GrainDirectory directory,
            GrainActivator activator,
            GrainStorageRegistry storages,
            List<IncomingGrainCallFilter> incomingFilters,
            @Nullable ReminderRegistry reminders,
            GrainObservations observations) {
        this.observations = observations;
        this.incomingFilters = List.copyOf(incomingFilters);
        this.reminders = reminders;
        this.localSilo = localSilo;
        this.scheduler = scheduler;
        this.timer = timer;
        this.options = options;
        this.activations = activations;
        this.directory = directory;
        this.activator = activator;
        this.storages = storages;
    }

    /** Where activations observe their calls, activations, deactivations and storage operations. */
    GrainObservations observations() {
        return observations;
    }

    /** The silo-wide incoming call filters, in order (empty: calls go straight to the grain). */
    List<IncomingGrainCallFilter> incomingFilters() {
        return incomingFilters;
    }

    /** Wires the parts that in turn depend on the catalog. */
    public void bind(GrainFactory grainFactory, Consumer<Request> forwarder) {
        this.grainFactory = grainFactory;
        this.forwarder = forwarder;
    }

    /** The activation for {@code grainId} if there is a live one here; no creation. */
    public @Nullable ActivationData get(GrainId grainId) {
        return activations.get(grainId);
    }

    /** Whether this silo already runs workers of the stateless worker grain {@code grainId}. */
    public boolean hasWorkers(GrainId grainId) {
        return workers.containsKey(grainId);
    }

    /** Delivers a request placed on this silo, creating the activation if needed. */
    public void deliverLocally(Request request) {
        if (request.targetClass.isStatelessWorker()) {
            while (!workers.computeIfAbsent(
                            request.target, id -> new StatelessWorkerGroup(this, id, request.targetClass))
                    .deliver(request)) {
                Thread.onSpinWait();
            }
            return;
        }
        activations
                .getOrCreate(request.target, id -> newActivation(id, request.targetClass))
                .enqueueRequest(request);
    }

    /** The one place activations are born, so the one place a stopping silo refuses them. */
    ActivationData newActivation(GrainId grainId, GrainClassMetadata grainClass) {
        if (!accepting) {
            throw new CallNotDeliveredException("Silo " + localSilo + " is shutting down and takes no new activations"
                    + " (grain " + grainId + ")");
        }
        UUID id = new UUID(
                ThreadLocalRandom.current().nextLong(),
                ThreadLocalRandom.current().nextLong());
        if (grainClass.isStatelessWorker()) {
            workerCount.incrementAndGet();
        }
        statistics.created(grainClass.typeName());
        return new ActivationData(this, grainId, grainClass, id.toString());
    }

    void remove(ActivationData activation, DeactivationReason reason) {
        GrainClassMetadata grainClass = activation.grainClass();
        statistics.removed(grainClass.typeName(), reason);
        if (grainClass.isStatelessWorker()) {
            StatelessWorkerGroup group = workers.get(activation.grainId());
            if (group != null) {
                group.remove(activation);
            }
            workerCount.decrementAndGet();
        } else {
            activations.remove(activation);
        }
    }

    void removeEmptyGroup(GrainId grainId, StatelessWorkerGroup group) {
        workers.remove(grainId, group);
    }

    void forward(Request request) {
        request.forwardCount++;
        try {
            forwarder.accept(request);
        } catch (RuntimeException e) {
            request.respond(null, e);
        }
    }

    /** Asks every activation idle for longer than its collection age to deactivate. */
    public void collectIdleActivations() {
        long defaultAge = options.collectionAge().toNanos();
        for (ActivationData activation : allActivations()) {
            GrainClassMetadata grainClass = activation.grainClass();
            if (grainClass.isAlwaysActive()) {
                continue;
            }
            Duration own = grainClass.collectionAge();
            activation.enqueue(new ActivationData.CollectIfIdle(own == null ? defaultAge : own.toNanos()));
        }
    }

    /**
     * Stops accepting new activations and deactivates every activation; completes when all are gone
     * (each bounded by the deactivation timeout).
     */
    public CompletableFuture<Void> deactivateAll(DeactivationReason reason) {
        stopAcceptingActivations();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (ActivationData activation : allActivations()) {
            activation.enqueue(new ActivationData.Deactivate(reason));
            pending.add(activation.whenDeactivated());
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    }

    /**
     * From now on requests for grains without an activation here fail with a
     * {@link CallNotDeliveredException} (the caller retries, and placement picks another silo); existing
     * activations keep serving until they are deactivated.
     */
    public void stopAcceptingActivations() {
        accepting = false;
    }

    public List<ActivationData> allActivations() {
        List<ActivationData> all = new ArrayList<>(activations.all());
        for (StatelessWorkerGroup group : workers.values()) {
            all.addAll(group.members());
        }
        return all;
    }

    /** Whether {@code address} names a live activation of this silo. */
    public boolean isLive(GrainAddress address) {
        return activations.isLive(address);
    }

    /** Activations on this silo, stateless workers included. */
    public int activationCount() {
        return activations.size() + workerCount.get();
    }

    /** Activation counts per grain type name, sorted by name (types without activations left out). */
    public Map<String, Integer> activationCountsByType() {
        Map<String, Integer> counts = statistics.activationsByType();
        counts.values().removeIf(count -> count == 0);
        return counts;
    }

    /** Counts of activations per grain type: live, created, collected. */
    public ActivationStatistics statistics() {
        return statistics;
    }

    public boolean isAccepting() {
        return accepting;
    }

    SiloAddress localSilo() {
        return localSilo;
    }

    Executor scheduler() {
        return scheduler;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    GrainCollectionOptions options() {
        return options;
    }

    public GrainDirectory directory() {
        return directory;
    }

    GrainActivator activator() {
        return activator;
    }

    /** The reminder registry; fails clearly when the silo has none. */
    ReminderRegistry reminders() {
        if (reminders == null) {
            throw new IllegalStateException("This silo has no reminder table: in Spring Boot, reminders use the "
                    + "application's DataSource (orleans.reminders.table=jdbc, the default when there is one) or "
                    + "memory (orleans.reminders.table=memory); without Spring, call SiloBuilder.reminderTable(...)");
        }
        return reminders;
    }

    /** Reminders this silo's reminder service schedules now. */
    public int remindersRunning() {
        return reminders == null ? 0 : reminders.runningHere();
    }

    GrainFactory grainFactory() {
        return grainFactory;
    }

    GrainStorage storage(@Nullable String name, GrainClassMetadata grainClass) {
        return storages.resolve(name, grainClass);
    }
}
