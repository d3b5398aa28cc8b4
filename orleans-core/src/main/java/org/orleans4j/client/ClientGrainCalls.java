package org.orleans4j.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.internal.GrainCallRuntime;
import org.orleans4j.calls.internal.GrainReference;
import org.orleans4j.grain.Grain;
import org.orleans4j.grain.GrainId;
import org.orleans4j.metadata.GrainInterfaceMetadata;
import org.orleans4j.metadata.MethodInfo;

/**
 * Grain references in a cluster client: a client has the grain interfaces but usually not their
 * implementations, so grain types come from the gateways' manifest at the first call, and calls go
 * through the gateways.
 */
final class ClientGrainCalls implements GrainCallRuntime {

    private final ClientCalls calls;
    private final ClientSerializer serializer;
    private final GrainManifest manifest;
    private final Map<Class<?>, GrainInterfaceMetadata> interfaces = new ConcurrentHashMap<>();

    ClientGrainCalls(ClientCalls calls, ClientSerializer serializer, GrainManifest manifest) {
        this.calls = calls;
        this.serializer = serializer;
        this.manifest = manifest;
    }

    /** Registers a grain interface once: its method table and the types its signatures allow on the wire. */
    @Override
    public GrainInterfaceMetadata interfaceMetadata(Class<?> grainInterface) {
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

    /** Not known before the first call: the client may not be connected yet. */
    @Override
    public @Nullable String grainTypeNow(Class<?> grainInterface) {
        return null;
    }

    @Override
    public String grainType(Class<?> grainInterface) {
        return manifest.typeOf(grainInterface);
    }

    /** The client knows no implementations; the gateway refuses a call to a type that lacks the interface. */
    @Override
    public void checkImplements(Class<?> grainInterface, GrainId grainId) {}

    @Override
    public @Nullable Object call(GrainReference reference, MethodInfo method, @Nullable Object @Nullable [] args) {
        return calls.call(reference, method, args);
    }
}
