package org.orleans4j.client;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.serialization.internal.SerializationTypes;
import org.orleans4j.serialization.internal.WireSerializer;

/**
 * The client's wire serializer, the silos' own {@link WireSerializer} with the same allow-list
 * rules: the types reachable from the grain interfaces the client uses plus those allowed
 * explicitly. Interfaces can be registered late (on the first {@code getGrain}); each new one
 * replaces the serializer by one that knows its types too. Wire ids come from type names, so old
 * and new serializers agree on every type they share.
 */
final class ClientSerializer {

    private final SerializationTypes types = new SerializationTypes();
    private final Set<Class<?>> interfaces = ConcurrentHashMap.newKeySet();
    private final int maxBytes;
    private volatile WireSerializer current;
    private volatile @Nullable GrainFactory grains;
    private volatile @Nullable String origin;

    ClientSerializer(List<Class<?>> allowedTypes, int maxBytes) {
        this.maxBytes = maxBytes;
        allowedTypes.forEach(types::allow);
        this.current = new WireSerializer(types, maxBytes);
    }

    /** References that arrive in answers become references of {@code factory} (the client's). */
    synchronized void bindGrainFactory(GrainFactory factory) {
        this.grains = factory;
        current.bindGrainFactory(factory);
    }

    /** Failures this client's observers raise say they were thrown at {@code origin}. */
    synchronized void bindOrigin(String origin) {
        this.origin = origin;
        current.bindOrigin(origin);
    }

    WireSerializer current() {
        return current;
    }

    /** Allows the types of {@code grainInterface}'s signatures, once. */
    void addInterface(Class<?> grainInterface) {
        if (interfaces.contains(grainInterface)) {
            return;
        }
        synchronized (this) {
            if (interfaces.add(grainInterface)) {
                types.scanInterface(grainInterface);
                WireSerializer next = new WireSerializer(types, maxBytes);
                GrainFactory factory = grains;
                if (factory != null) {
                    next.bindGrainFactory(factory);
                }
                String thrownAt = origin;
                if (thrownAt != null) {
                    next.bindOrigin(thrownAt);
                }
                current = next;
            }
        }
    }
}
