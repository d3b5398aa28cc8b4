package org.orleans4j.reminders.internal;

import io.micrometer.observation.Observation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.directory.internal.DirectoryRing;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.Remindable;
import org.orleans4j.grain.TickStatus;
import org.orleans4j.internal.Futures;
import org.orleans4j.observation.GrainObservations;
import org.orleans4j.reminders.ReminderEntry;
import org.orleans4j.reminders.ReminderOptions;
import org.orleans4j.reminders.ReminderTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A silo's part of the reminder runtime: it owns the reminders whose grain hash falls in its ranges of
 * the ring of Active silos (the ring the grain directory uses), loads only those from the table, and
 * delivers their ticks as grain calls. When the membership changes it loads its new ranges and drops
 * what it no longer owns; it reads its ranges again every {@link ReminderOptions#refreshPeriod()}.
 * <p>
 * Each tick is claimed in the table before it is delivered ({@link ReminderTable#claimTick}), so a tick
 * is delivered once even while two silos' views of the ring differ. A silo that takes a reminder over
 * starts from the latest tick already due: if nobody delivered it (the owner died just before), it is
 * delivered late, once. The next tick is scheduled when the grain has answered; other ticks that fell due
 * meanwhile, or while no silo ran the reminder, are skipped, as in Orleans.
 */
public final class LocalReminderService implements RemoteReminderService {

    private static final Logger log = LoggerFactory.getLogger(LocalReminderService.class);

    /** A failed load of this silo's ranges is tried again this soon, not only at the next refresh. */
    private static final long RELOAD_RETRY_MILLIS = 5_000;

    private record Key(GrainId grainId, String name) {}

    /** A reminder this silo runs; {@code next} is its next tick's timer, replaced after each tick. */
    private static final class Scheduled {
        final ReminderEntry entry;

        @Nullable
        ScheduledFuture<?> next;

        Scheduled(ReminderEntry entry) {
            this.entry = entry;
        }

        void cancel() {
            if (next != null) {
                next.cancel(false);
            }
        }
    }

    private final SiloAddress localSilo;
    private final ReminderTable table;
    private final ReminderOptions options;
    private final ScheduledExecutorService timer;
    private final @Nullable Function<SiloAddress, RemoteReminderService> remote;
    private final Clock clock;
    private volatile @Nullable GrainFactory grains;
    private volatile DirectoryRing ring = DirectoryRing.EMPTY;

    // Guarded by this.
    private boolean running;
    private final Map<Key, Scheduled> scheduled = new HashMap<>();
    /** Counts loads of the ranges: the result of a load that a newer one overtook is dropped. */
    private long loads;

    private @Nullable ScheduledFuture<?> refresher;

    /**
     * @param remote the reminder service of another silo; {@code null} for a silo on its own
     */
    private final GrainObservations observations;

    public LocalReminderService(
            SiloAddress localSilo,
            ReminderTable table,
            ReminderOptions options,
            ScheduledExecutorService timer,
            @Nullable Function<SiloAddress, RemoteReminderService> remote,
            Clock clock,
            GrainObservations observations) {
        this.observations = observations;
        this.localSilo = localSilo;
        this.table = table;
        this.options = options;
        this.timer = timer;
        this.remote = remote;
        this.clock = clock;
    }

    /** The grain factory ticks are delivered through (built after this service). */
    public void bind(GrainFactory grains) {
        this.grains = grains;
    }

    /** Starts running the reminders of this silo's ranges of the ring of {@code activeSilos}. */
    public void start(Collection<SiloAddress> activeSilos) {
        synchronized (this) {
            running = true;
            ring = DirectoryRing.of(activeSilos);
            long period = options.refreshPeriod().toMillis();
            refresher = timer.scheduleAtFixedRate(this::reload, period, period, TimeUnit.MILLISECONDS);
        }
        reload();
    }

    /** Stops every reminder of this silo (before its activations deactivate); the others take them over. */
    public synchronized void stop() {
        running = false;
        if (refresher != null) {
            refresher.cancel(false);
        }
        scheduled.values().forEach(Scheduled::cancel);
        scheduled.clear();
    }

    /** The Active silos changed: when this silo's ranges did, it loads them again. */
    public void membershipChanged(Collection<SiloAddress> activeSilos) {
        DirectoryRing next = DirectoryRing.of(activeSilos);
        synchronized (this) {
            DirectoryRing before = ring;
            ring = next;
            if (!running || before.rangesOf(localSilo).equals(next.rangesOf(localSilo))) {
                return;
            }
        }
        reload();
    }

    /** Reminders this silo runs now. */
    public synchronized int size() {
        return scheduled.size();
    }

    /** Tells the silo that owns {@code grainId}'s reminders (this one, perhaps) that {@code name} changed in the table. */
    public void notifyOwner(GrainId grainId, String name) {
        SiloAddress owner = ring.owner(grainId);
        if (owner == null || owner.equals(localSilo) || remote == null) {
            changed(grainId, name);
        } else {
            remote.apply(owner).changed(grainId, name);
        }
    }

    @Override
    public void changed(GrainId grainId, String name) {
        if (!owns(grainId)) {
            return;
        }
        table.readRow(grainId, name).whenComplete((entry, failure) -> {
            if (failure != null) {
                log.warn(
                        "Could not read reminder '{}' of {} from the reminder table ({}); this silo reads it again "
                                + "within {}",
                        name,
                        grainId,
                        Futures.unwrap(failure).toString(),
                        options.refreshPeriod());
            } else {
                apply(new Key(grainId, name), entry);
            }
        });
    }

    private boolean owns(GrainId grainId) {
        return localSilo.equals(ring.owner(grainId));
    }

    private void reload() {
        long load;
        List<DirectoryRing.HashRange> ranges;
        synchronized (this) {
            if (!running) {
                return;
            }
            load = ++loads;
            ranges = ring.rangesOf(localSilo);
        }
        List<CompletableFuture<List<ReminderEntry>>> reads = new ArrayList<>();
        for (DirectoryRing.HashRange range : ranges) {
            reads.add(table.readRows(range.fromInclusive(), range.toExclusive()));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).whenComplete((done, failure) -> {
            if (failure != null) {
                log.warn(
                        "Could not read this silo's reminders from the reminder table ({}); trying again in {} ms. "
                                + "Is the database reachable?",
                        Futures.unwrap(failure).toString(),
                        RELOAD_RETRY_MILLIS);
                retryReload(load);
                return;
            }
            List<ReminderEntry> entries = new ArrayList<>();
            reads.forEach(read -> entries.addAll(read.join()));
            applyAll(load, entries);
        });
    }

    private synchronized void retryReload(long load) {
        if (running && load == loads) {
            try {
                timer.schedule(this::reload, RELOAD_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // the silo is stopping
            }
        }
    }

    /** The reminders of this silo's ranges as load {@code load} read them: runs those, drops the rest. */
    private synchronized void applyAll(long load, List<ReminderEntry> entries) {
        if (!running || load != loads) {
            return;
        }
        Map<Key, ReminderEntry> loaded = new HashMap<>();
        for (ReminderEntry entry : entries) {
            if (owns(entry.grainId())) {
                loaded.put(new Key(entry.grainId(), entry.name()), entry);
            }
        }
        int before = scheduled.size();
        scheduled.entrySet().removeIf(e -> {
            if (!loaded.containsKey(e.getKey())) {
                e.getValue().cancel();
                return true;
            }
            return false;
        });
        loaded.forEach(this::replace);
        if (scheduled.size() != before) {
            log.info("Silo {} runs {} reminders (its ranges of the ring)", localSilo, scheduled.size());
        }
    }

    /** One reminder as just read ({@code null}: removed). */
    private synchronized void apply(Key key, @Nullable ReminderEntry entry) {
        if (!running) {
            return;
        }
        if (entry == null || !owns(key.grainId())) {
            Scheduled removed = scheduled.remove(key);
            if (removed != null) {
                removed.cancel();
            }
            return;
        }
        replace(key, entry);
    }

    /** Runs {@code entry} unless this very version runs already. Holds the lock. */
    private void replace(Key key, ReminderEntry entry) {
        Scheduled current = scheduled.get(key);
        if (current != null && Objects.equals(current.entry.etag(), entry.etag())) {
            return;
        }
        if (current != null) {
            current.cancel();
        }
        Scheduled fresh = new Scheduled(entry);
        scheduled.put(key, fresh);
        // From the latest tick already due: if no silo delivered it (its owner died, or the ring changed just
        // then), it is delivered now, late; if one did, its claim fails and nothing is delivered twice.
        scheduleAfter(fresh, clock.millis() - entry.period().toMillis());
    }

    /** Schedules the first tick of {@code reminder} due after {@code afterMillis}. Holds the lock. */
    private void scheduleAfter(Scheduled reminder, long afterMillis) {
        long tick = firstTickAfter(reminder.entry, afterMillis);
        try {
            reminder.next = timer.schedule(
                    () -> tick(reminder, tick), Math.max(0, tick - clock.millis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the silo is stopping
        }
    }

    /** The first tick of {@code entry} strictly after {@code afterMillis} (epoch milliseconds). */
    static long firstTickAfter(ReminderEntry entry, long afterMillis) {
        long start = entry.startAt().toEpochMilli();
        if (afterMillis < start) {
            return start;
        }
        long period = entry.period().toMillis();
        return start + ((afterMillis - start) / period + 1) * period;
    }

    private void tick(Scheduled reminder, long tickMillis) {
        ReminderEntry entry = reminder.entry;
        synchronized (this) {
            if (!running || scheduled.get(new Key(entry.grainId(), entry.name())) != reminder) {
                return;
            }
        }
        table.claimTick(entry.grainId(), entry.name(), Objects.requireNonNull(entry.etag()), tickMillis)
                .exceptionally(failure -> {
                    log.warn(
                            "Tick of reminder '{}' of {} due at {} was not delivered: the reminder table could not "
                                    + "record it ({})",
                            entry.name(),
                            entry.grainId(),
                            Instant.ofEpochMilli(tickMillis),
                            Futures.unwrap(failure).toString());
                    return false;
                })
                .thenCompose(claimed -> {
                    if (claimed) {
                        return deliver(entry, tickMillis);
                    }
                    // Another silo delivered it, or the reminder changed or went: read it again.
                    changed(entry.grainId(), entry.name());
                    return CompletableFuture.completedFuture(null);
                })
                .whenComplete((done, failure) -> {
                    synchronized (this) {
                        if (running && scheduled.get(new Key(entry.grainId(), entry.name())) == reminder) {
                            // Ticks that fell due while the grain worked on this one are skipped.
                            scheduleAfter(reminder, Math.max(tickMillis, clock.millis() - 1));
                        }
                    }
                });
    }

    private CompletableFuture<@Nullable Void> deliver(ReminderEntry entry, long tickMillis) {
        GrainFactory factory = Objects.requireNonNull(grains, "bind() was not called");
        TickStatus status = new TickStatus(entry.startAt(), entry.period(), Instant.ofEpochMilli(tickMillis));
        Observation tick = observations.enabled()
                ? observations.startReminderTick(
                        entry.grainId(), entry.grainId().type(), entry.name())
                : null;
        Observation.Scope scope = tick == null ? null : GrainObservations.openScope(tick);
        CompletableFuture<Void> call;
        try {
            call = factory.getGrain(Remindable.class, entry.grainId()).receiveReminder(entry.name(), status);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        } finally {
            if (scope != null) {
                GrainObservations.closeScope(scope);
            }
        }
        return call.handle((result, failure) -> {
            if (tick != null) {
                GrainObservations.stop(tick, failure == null ? null : Futures.unwrap(failure));
            }
            if (failure != null) {
                log.warn(
                        "Reminder '{}' of {}: the tick due at {} failed: {}",
                        entry.name(),
                        entry.grainId(),
                        status.currentTickTime(),
                        Futures.unwrap(failure).toString());
            }
            return null;
        });
    }
}
