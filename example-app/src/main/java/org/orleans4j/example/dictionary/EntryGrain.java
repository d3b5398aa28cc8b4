package org.orleans4j.example.dictionary;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.Idempotent;
import org.orleans4j.grain.ReadOnly;

/** One dictionary entry, keyed by its word. */
public interface EntryGrain extends GrainWithStringKey {

    /** The definition, or {@code null} when the word has none. */
    @ReadOnly
    CompletableFuture<String> getDefinition();

    /**
     * Stores the definition, replacing any earlier one. Storing the same definition twice leaves the same
     * entry, so the runtime may send the call again when a silo died while it ran.
     */
    @Idempotent
    CompletableFuture<Void> setDefinition(String definition);
}
