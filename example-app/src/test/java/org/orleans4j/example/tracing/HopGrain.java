package org.orleans4j.example.tracing;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;

/** A grain whose key is a silo role: it runs on the silo of that role and calls on to the next roles. */
public interface HopGrain extends GrainWithStringKey {

    /** Records the hop, then hops on through {@code next}; answers the roles visited, in order. */
    CompletableFuture<String> hop(List<String> next);
}
