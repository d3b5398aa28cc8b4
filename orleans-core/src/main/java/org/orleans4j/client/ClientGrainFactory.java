package org.orleans4j.client;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.orleans4j.grain.Grain;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainWithLongKey;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.GrainWithUuidKey;
import org.orleans4j.grain.KeyKind;
import org.orleans4j.metadata.GrainInterfaceMetadata;

/** The client's {@link GrainFactory}: the same API as in a silo; the proxies call through the gateways. */
final class ClientGrainFactory implements GrainFactory {

    private final ClientCalls calls;
    private final ClientSerializer serializer;
    private final Map<Class<?>, GrainInterfaceMetadata> interfaces = new ConcurrentHashMap<>();

    ClientGrainFactory(ClientCalls calls, ClientSerializer serializer) {
        this.calls = calls;
        this.serializer = serializer;
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
        return proxy(grainInterface, grainId.keyKind(), grainId.key(), grainId);
    }

    /** Registers a grain interface: its method table and the types its signatures allow on the wire. */
    GrainInterfaceMetadata register(Class<?> grainInterface) {
        GrainInterfaceMetadata known = interfaces.get(grainInterface);
        if (known != null) {
            return known;
        }
        if (!grainInterface.isInterface() || !Grain.class.isAssignableFrom(grainInterface)) {
            throw new IllegalArgumentException(grainInterface.getName() + " is not a grain interface (an interface "
                    + "extending GrainWithStringKey, GrainWithLongKey or GrainWithUuidKey)");
        }
        return interfaces.computeIfAbsent(grainInterface, type -> {
            GrainInterfaceMetadata metadata = new GrainInterfaceMetadata(type);
            serializer.addInterface(type);
            return metadata;
        });
    }

    private static void requireKey(Object key) {
        if (key == null) {
            throw new IllegalArgumentException("grain key must not be null");
        }
    }

    private <T> T proxy(Class<T> grainInterface, KeyKind kind, String key, GrainId explicit) {
        ClientGrainReference reference = new ClientGrainReference(register(grainInterface), kind, key, explicit, calls);
        return grainInterface.cast(
                Proxy.newProxyInstance(grainInterface.getClassLoader(), new Class<?>[] {grainInterface}, reference));
    }
}
