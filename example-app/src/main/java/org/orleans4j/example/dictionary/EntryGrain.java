package org.orleans4j.example.dictionary;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.ReadOnly;

/** One dictionary entry, keyed by its word. */
public interface EntryGrain extends GrainWithStringKey {

    /** The definition, or {@code null} when the word has none. */
    @ReadOnly
    CompletableFuture<String> getDefinition();

    CompletableFuture<Void> setDefinition(String definition);
}
