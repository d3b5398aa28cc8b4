package org.orleans4j.calls;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainId;

/**
 * One grain call as a call filter sees it: what is called, with which arguments, and how to go on with
 * it. {@link org.orleans4j.grain.RequestContext} is the call's context while a filter runs.
 */
public interface GrainCallContext {

    /** The grain called. */
    GrainId grainId();

    /** The grain interface the call was made through. */
    Class<?> interfaceType();

    /** The interface method called. */
    Method method();

    /**
     * The call's arguments (an empty array for none). A filter may replace elements before it calls
     * {@link #proceed()}; the rest of the chain and the grain see the replacements.
     */
    @Nullable
    Object[] arguments();

    /**
     * Runs the rest of the chain (the next filter, or the call itself) and returns its result. Call it at
     * most once; a filter that does not call it short-circuits the call, and what it returns is the result.
     */
    CompletableFuture<@Nullable Object> proceed();
}
