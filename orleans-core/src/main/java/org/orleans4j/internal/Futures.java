package org.orleans4j.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Small helpers for CompletableFuture plumbing. */
public final class Futures {

    private Futures() {}

    /** Strips the CompletionException / ExecutionException wrappers that futures add. */
    public static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
