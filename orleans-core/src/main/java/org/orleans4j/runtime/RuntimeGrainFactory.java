package org.orleans4j.runtime;

import java.lang.reflect.Proxy;
import java.util.UUID;
import org.orleans4j.grain.Grain;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainWithLongKey;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.GrainWithUuidKey;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.metadata.GrainTypeRegistry;

/** Makes typed proxies for grain interfaces. */
final class RuntimeGrainFactory implements GrainFactory {

    private final GrainTypeRegistry registry;
    private Dispatcher dispatcher;

    RuntimeGrainFactory(GrainTypeRegistry registry) {
        this.registry = registry;
    }

    void bind(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public <T extends GrainWithStringKey> T getGrain(Class<T> grainInterface, String key) {
        requireKey(key);
        GrainClassMetadata grainClass = registry.implementationOf(grainInterface);
        return proxy(grainInterface, GrainId.ofString(grainClass.typeName(), key), grainClass);
    }

    @Override
    public <T extends GrainWithLongKey> T getGrain(Class<T> grainInterface, long key) {
        GrainClassMetadata grainClass = registry.implementationOf(grainInterface);
        return proxy(grainInterface, GrainId.ofLong(grainClass.typeName(), key), grainClass);
    }

    @Override
    public <T extends GrainWithUuidKey> T getGrain(Class<T> grainInterface, UUID key) {
        requireKey(key);
        GrainClassMetadata grainClass = registry.implementationOf(grainInterface);
        return proxy(grainInterface, GrainId.ofUuid(grainClass.typeName(), key), grainClass);
    }

    @Override
    public <T extends Grain> T getGrain(Class<T> grainInterface, GrainId grainId) {
        GrainClassMetadata grainClass = registry.byTypeName(grainId.type());
        if (!grainInterface.isAssignableFrom(grainClass.grainClass())) {
            throw new IllegalArgumentException("Grain type '" + grainId.type() + "' ("
                    + grainClass.grainClass().getName() + ") does not implement " + grainInterface.getName());
        }
        return proxy(grainInterface, grainId, grainClass);
    }

    private static void requireKey(Object key) {
        if (key == null) {
            throw new IllegalArgumentException("grain key must not be null");
        }
    }

    private <T> T proxy(Class<T> grainInterface, GrainId grainId, GrainClassMetadata grainClass) {
        GrainReference reference =
                new GrainReference(grainId, grainClass, registry.interfaceMetadata(grainInterface), dispatcher);
        return grainInterface.cast(
                Proxy.newProxyInstance(grainInterface.getClassLoader(), new Class<?>[] {grainInterface}, reference));
    }
}
