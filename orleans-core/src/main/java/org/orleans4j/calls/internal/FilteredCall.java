package org.orleans4j.calls.internal;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.IncomingGrainCallContext;
import org.orleans4j.calls.IncomingGrainCallFilter;
import org.orleans4j.calls.OutgoingGrainCallFilter;
import org.orleans4j.grain.GrainId;

/**
 * A grain call passing through a chain of call filters to the call itself. One object per filtered
 * call; calls without filters never make one.
 */
public final class FilteredCall implements IncomingGrainCallContext {

    /** The end of the chain: the call itself, with the arguments as the filters left them. */
    @FunctionalInterface
    public interface Terminal {
        CompletableFuture<@Nullable Object> call(@Nullable Object[] args);
    }

    private static final Object[] NO_ARGS = new Object[0];

    private final List<?> filters;
    private final @Nullable Object grain;
    private final GrainId grainId;
    private final Class<?> interfaceType;
    private final Method method;
    private final @Nullable Object[] args;
    private final Terminal terminal;
    private int next;

    private FilteredCall(
            List<?> filters,
            @Nullable Object grain,
            GrainId grainId,
            Class<?> interfaceType,
            Method method,
            @Nullable Object @Nullable [] args,
            Terminal terminal) {
        this.filters = filters;
        this.grain = grain;
        this.grainId = grainId;
        this.interfaceType = interfaceType;
        this.method = method;
        this.args = args == null ? NO_ARGS : args;
        this.terminal = terminal;
    }

    /**
     * The incoming filters of one activation: the silo's, then the grain itself when its class is a filter;
     * {@code null} when there are none, so that its calls go straight to the grain.
     */
    public static @Nullable List<IncomingGrainCallFilter> incomingChain(
            List<IncomingGrainCallFilter> siloFilters, Object grain) {
        if (!(grain instanceof IncomingGrainCallFilter own)) {
            return siloFilters.isEmpty() ? null : siloFilters;
        }
        List<IncomingGrainCallFilter> chain = new ArrayList<>(siloFilters.size() + 1);
        chain.addAll(siloFilters);
        chain.add(own);
        return List.copyOf(chain);
    }

    /** Runs an incoming call through {@code chain} (see {@link #incomingChain}), then into the grain. */
    public static CompletableFuture<@Nullable Object> incoming(
            List<IncomingGrainCallFilter> chain,
            Object grain,
            GrainId grainId,
            Class<?> interfaceType,
            Method method,
            @Nullable Object @Nullable [] args,
            Terminal terminal) {
        return new FilteredCall(chain, grain, grainId, interfaceType, method, args, terminal).proceed();
    }

    /** Runs an outgoing call through the caller's filters, then sends it. */
    public static CompletableFuture<@Nullable Object> outgoing(
            List<OutgoingGrainCallFilter> filters,
            GrainId grainId,
            Class<?> interfaceType,
            Method method,
            @Nullable Object @Nullable [] args,
            Terminal terminal) {
        return new FilteredCall(filters, null, grainId, interfaceType, method, args, terminal).proceed();
    }

    @Override
    public CompletableFuture<@Nullable Object> proceed() {
        if (next > filters.size()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "proceed() was called more than once for " + this + "; a filter may go on with a call only once"));
        }
        if (next == filters.size()) {
            next++;
            try {
                return terminal.call(args);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        Object filter = filters.get(next++);
        try {
            CompletionStage<@Nullable Object> stage = filter instanceof IncomingGrainCallFilter incoming
                    ? incoming.onIncomingCall(this)
                    : ((OutgoingGrainCallFilter) filter).onOutgoingCall(this);
            if (stage == null) {
                return CompletableFuture.failedFuture(new NullPointerException(
                        "Call filter " + filter + " returned null instead of a stage for " + this));
            }
            return stage.toCompletableFuture();
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Object grain() {
        if (grain == null) {
            throw new IllegalStateException("An outgoing call has no grain instance: " + this);
        }
        return grain;
    }

    @Override
    public GrainId grainId() {
        return grainId;
    }

    @Override
    public Class<?> interfaceType() {
        return interfaceType;
    }

    @Override
    public Method method() {
        return method;
    }

    @Override
    public @Nullable Object[] arguments() {
        return args;
    }

    @Override
    public String toString() {
        return interfaceType.getSimpleName() + "." + method.getName() + " on " + grainId;
    }
}
