package org.orleans4j.example.dictionary;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.PersistentState;
import org.orleans4j.placement.HashBasedPlacement;
import org.orleans4j.spring.grain.GrainComponent;

/**
 * An entry's definition, read from storage when the grain activates and written on every change.
 * Hash-based placement: a word always lands on the same silo for a given membership.
 */
@GrainComponent
@HashBasedPlacement
public class EntryGrainImpl extends GrainBase implements EntryGrain {

    private final PersistentState<Entry> entry = persistentState("entry", Entry.class, () -> Entry.EMPTY);

    @Override
    public CompletableFuture<String> getDefinition() {
        return CompletableFuture.completedFuture(entry.state().definition());
    }

    @Override
    public CompletableFuture<Void> setDefinition(String definition) {
        entry.setState(new Entry(definition));
        return entry.writeState();
    }
}
