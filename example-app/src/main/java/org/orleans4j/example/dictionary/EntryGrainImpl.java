package org.orleans4j.example.dictionary;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.PersistentState;
import org.orleans4j.placement.HashBasedPlacement;
import org.orleans4j.spring.grain.GrainComponent;
import org.springframework.beans.factory.annotation.Value;

/**
 * An entry's definition, read from storage when the grain activates and written on every change, and
 * the count of its lookups, kept in memory and written behind by a grain timer (and on deactivation).
 * Hash-based placement: a word always lands on the same silo for a given membership.
 */
@GrainComponent
@HashBasedPlacement
public class EntryGrainImpl extends GrainBase implements EntryGrain {

    private final PersistentState<Entry> entry = persistentState("entry", Entry.class, () -> Entry.EMPTY);
    private final PersistentState<Lookups> lookups = persistentState("lookups", Lookups.class, () -> Lookups.NONE);
    /** How often counted lookups are written: a lookup is a read, so its count need not be written at once. */
    private final Duration flushPeriod;
    /** Lookups counted since the last write. */
    private long unwritten;

    public EntryGrainImpl(@Value("${dictionary.lookups-flush-period:30s}") Duration flushPeriod) {
        this.flushPeriod = flushPeriod;
    }

    @Override
    public CompletableFuture<Void> onActivate() {
        // A tick is a turn of its own, never in the middle of a lookup; it does not keep an idle entry alive.
        registerTimer(this::writeLookups, flushPeriod, flushPeriod);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> onDeactivate(DeactivationReason reason) {
        return writeLookups();
    }

    @Override
    public CompletableFuture<String> getDefinition() {
        unwritten++;
        return CompletableFuture.completedFuture(entry.state().definition());
    }

    @Override
    public CompletableFuture<Long> lookups() {
        return CompletableFuture.completedFuture(lookups.state().count() + unwritten);
    }

    @Override
    public CompletableFuture<Void> setDefinition(String definition) {
        entry.setState(new Entry(definition));
        return entry.writeState();
    }

    private CompletableFuture<Void> writeLookups() {
        if (unwritten == 0) {
            return CompletableFuture.completedFuture(null);
        }
        long counted = unwritten;
        lookups.setState(new Lookups(lookups.state().count() + counted));
        unwritten = 0;
        return lookups.writeState().whenComplete((done, failure) -> {
            if (failure != null) {
                // Not written (the runtime put the stored count back): the next tick writes them.
                unwritten += counted;
            }
        });
    }
}
