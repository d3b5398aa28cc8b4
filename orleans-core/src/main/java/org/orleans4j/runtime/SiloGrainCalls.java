package org.orleans4j.runtime;

import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.internal.GrainCallRuntime;
import org.orleans4j.calls.internal.GrainReference;
import org.orleans4j.calls.internal.ObserverAddress;
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
        if (ObserverAddress.isObserver(grainId)) {
            if (!GrainTypeRegistry.isObserverInterface(grainInterface)) {
                throw new IllegalArgumentException(
                        grainId + " is an observer; " + grainInterface.getName() + " is not an observer interface");
            }
            return;
        }
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
            grainClass = ObserverAddress.isObserver(target)
                    ? registry.observerTarget(reference.grainInterface())
                    : registry.byTypeName(target.type());
            reference.remember(grainClass);
        }
        return dispatcher.call(target, grainClass, reference.grainInterface(), method, args, reference);
    }
}
