package org.orleans4j.calls.internal;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.OutgoingGrainCallFilter;
import org.orleans4j.grain.Grain;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainWithLongKey;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.GrainWithUuidKey;
import org.orleans4j.grain.KeyKind;

/** The one {@link GrainFactory}: typed proxies over a {@link GrainReference}, for silos and clients alike. */
public final class GrainReferences implements GrainFactory {

    private final GrainCallRuntime runtime;
    private final List<OutgoingGrainCallFilter> outgoingFilters;

    public GrainReferences(GrainCallRuntime runtime) {
        this(runtime, List.of());
    }

    /** References whose calls pass through {@code outgoingFilters}, in order. */
    public GrainReferences(GrainCallRuntime runtime, List<OutgoingGrainCallFilter> outgoingFilters) {
        this.runtime = runtime;
        this.outgoingFilters = List.copyOf(outgoingFilters);
    }

    @Override
    public <T extends GrainWithStringKey> T getGrain(Class<T> grainInterface, String key) {
        requireKey(key);
        return proxy(grainInterface, KeyKind.STRING, key, null);
    }

    @Override
    public <T extends GrainWithLongKey> T getGrain(Class<T> grainInterface, long key) {
        return proxy(grainInterface, KeyKind.LONG, Long.toString(key), null);
    }

    @Override
    public <T extends GrainWithUuidKey> T getGrain(Class<T> grainInterface, UUID key) {
        requireKey(key);
        return proxy(grainInterface, KeyKind.UUID, key.toString(), null);
    }

    @Override
    public <T extends Grain> T getGrain(Class<T> grainInterface, GrainId grainId) {
        requireKey(grainId);
        runtime.checkImplements(grainInterface, grainId);
        return proxy(grainInterface, grainId.keyKind(), grainId.key(), grainId.type());
    }

    private static void requireKey(@Nullable Object key) {
        if (key == null) {
            throw new IllegalArgumentException("grain key must not be null");
        }
    }

    private <T> T proxy(Class<T> grainInterface, KeyKind kind, String key, @Nullable String type) {
        GrainReference reference = new GrainReference(
                runtime.interfaceMetadata(grainInterface),
                kind,
                key,
                type != null ? type : runtime.grainTypeNow(grainInterface),
                runtime,
                outgoingFilters);
        return grainInterface.cast(
                Proxy.newProxyInstance(grainInterface.getClassLoader(), new Class<?>[] {grainInterface}, reference));
    }
}
