package org.orleans4j.calls.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.OutgoingGrainCallFilter;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainIdentity;
import org.orleans4j.grain.KeyKind;
import org.orleans4j.metadata.GrainInterfaceMetadata;
import org.orleans4j.metadata.MethodInfo;

/**
 * The invocation handler behind every grain proxy, in silos and clients alike: the interface it is
 * called through and the grain's key. The grain id also needs the grain type, which a silo knows when
 * the reference is made and a client learns from the gateways' manifest at the first call (a proxy may
 * be made before the client connects), unless the reference was made from a full grain id. Two
 * references are equal when they name the same key through the same interface, with the same type
 * where the type was known when they were made.
 */
public final class GrainReference implements InvocationHandler, GrainIdentity {

    private final GrainInterfaceMetadata grainInterface;
    private final KeyKind keyKind;
    private final String key;
    /** Known when the reference was made, or {@code null} until the first call resolves it. */
    private final @Nullable String typeWhenMade;

    private final GrainCallRuntime runtime;
    private final List<OutgoingGrainCallFilter> outgoingFilters;
    private volatile @Nullable GrainId grainId;
    /**
     * What the runtime looked up for this reference's grain at its first call (a silo: the grain class),
     * kept so that later calls skip the lookup. Plain field: a racing first call looks it up twice and
     * stores an equal, immutable value.
     */
    private @Nullable Object resolved;
    /**
     * Where the runtime last found the grain (its directory cache entry), kept so that the next call
     * through this reference skips the lookup. Plain: racing callers store equivalent values.
     */
    private @Nullable Object route;

    GrainReference(
            GrainInterfaceMetadata grainInterface,
            KeyKind keyKind,
            String key,
            @Nullable String typeWhenMade,
            GrainCallRuntime runtime,
            List<OutgoingGrainCallFilter> outgoingFilters) {
        this.grainInterface = grainInterface;
        this.keyKind = keyKind;
        this.key = key;
        this.typeWhenMade = typeWhenMade;
        this.runtime = runtime;
        this.outgoingFilters = outgoingFilters;
        // Made at once when the type is known, so that a bad key fails where the reference is made.
        this.grainId = typeWhenMade == null ? null : GrainId.of(typeWhenMade, key, keyKind);
    }

    /** The grain's id; resolves its type through the runtime at the first call when it was not known before. */
    @Override
    public GrainId grainId() {
        GrainId id = grainId;
        if (id == null) {
            id = GrainId.of(runtime.grainType(grainInterface.grainInterface()), key, keyKind);
            grainId = id;
        }
        return id;
    }

    /** See {@link #remember}; opaque here. */
    public @Nullable Object resolved() {
        return resolved;
    }

    /** Keeps what the runtime resolved for this reference's grain; it must be immutable and the same for every call. */
    public void remember(Object resolved) {
        this.resolved = resolved;
    }

    public @Nullable Object route() {
        return route;
    }

    public void route(Object route) {
        this.route = route;
    }

    @Override
    public Class<?> grainInterface() {
        return grainInterface.grainInterface();
    }

    private @Nullable Object callFiltered(MethodInfo info, @Nullable Object @Nullable [] args) {
        CompletableFuture<@Nullable Object> result =
                FilteredCall.outgoing(outgoingFilters, grainId(), grainInterface(), info.method(), args, filtered -> {
                    Object sent = runtime.call(this, info, filtered);
                    return sent == null
                            ? CompletableFuture.completedFuture(null)
                            : (CompletableFuture<@Nullable Object>) sent;
                });
        return info.returnsVoid() ? null : result;
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
        MethodInfo info = grainInterface.method(method);
        if (info != null) {
            return outgoingFilters.isEmpty() ? runtime.call(this, info, args) : callFiltered(info, args);
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        return switch (method.getName()) {
            case "equals" ->
                args[0] != null
                        && Proxy.isProxyClass(args[0].getClass())
                        && Proxy.getInvocationHandler(args[0]) instanceof GrainReference other
                        && other.grainInterface() == grainInterface()
                        && other.keyKind == keyKind
                        && other.key.equals(key)
                        // A client's reference learns its grain type at the first call; one that arrived has it.
                        && (Objects.equals(other.typeWhenMade, typeWhenMade)
                                || other.grainId().equals(grainId()));
            case "hashCode" -> 31 * grainInterface().hashCode() + key.hashCode();
            case "toString" -> {
                GrainId id = grainId;
                yield grainInterface().getSimpleName() + "[" + (id != null ? id.toString() : "?/" + key) + "]";
            }
            default -> throw new UnsupportedOperationException(method.toString());
        };
    }
}
