package org.orleans4j.runtime;

import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.internal.GrainCallRuntime;
import org.orleans4j.calls.internal.GrainReference;
import org.orleans4j.grain.GrainId;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.metadata.GrainInterfaceMetadata;
import org.orleans4j.metadata.GrainTypeRegistry;
import org.orleans4j.metadata.MethodInfo;

/** Grain references in a silo: grain types come from the silo's registry, calls go to its dispatcher. */
final class SiloGrainCalls implements GrainCallRuntime {

    private final GrainTypeRegistry registry;
    private final Dispatcher dispatcher;

    SiloGrainCalls(GrainTypeRegistry registry, Dispatcher dispatcher) {
        this.registry = registry;
        this.dispatcher = dispatcher;
    }

    @Override
    public GrainInterfaceMetadata interfaceMetadata(Class<?> grainInterface) {
        return registry.interfaceMetadata(grainInterface);
    }

    @Override
    public String grainTypeNow(Class<?> grainInterface) {
        return registry.implementationOf(grainInterface).typeName();
    }

    @Override
    public String grainType(Class<?> grainInterface) {
        return grainTypeNow(grainInterface);
    }

    @Override
    public void checkImplements(Class<?> grainInterface, GrainId grainId) {
        GrainClassMetadata grainClass = registry.byTypeName(grainId.type());
        if (!grainInterface.isAssignableFrom(grainClass.grainClass())) {
            throw new IllegalArgumentException("Grain type '" + grainId.type() + "' ("
                    + grainClass.grainClass().getName() + ") does not implement " + grainInterface.getName());
        }
    }

    @Override
    public @Nullable Object call(GrainReference reference, MethodInfo method, @Nullable Object @Nullable [] args) {
        GrainId target = reference.grainId();
        GrainClassMetadata grainClass;
        if (reference.resolved() instanceof GrainClassMetadata known) {
            grainClass = known;
        } else {
            grainClass = registry.byTypeName(target.type());
            reference.remember(grainClass);
        }
        return dispatcher.call(target, grainClass, reference.grainInterface(), method, args);
    }
}
