package org.orleans4j.runtime;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ConcurrentHashMap;
import org.orleans4j.catalog.GrainActivator;
import org.orleans4j.grain.GrainContext;
import org.orleans4j.grain.GrainException;
import org.orleans4j.metadata.GrainClassMetadata;

/** Creates grains through their no-argument constructor. */
final class ReflectionGrainActivator implements GrainActivator {

    private final ConcurrentHashMap<Class<?>, Constructor<?>> constructors = new ConcurrentHashMap<>();

    @Override
    public Object createInstance(GrainClassMetadata grainClass, GrainContext context) {
        Constructor<?> constructor = constructors.computeIfAbsent(grainClass.grainClass(), type -> {
            try {
                Constructor<?> c = type.getDeclaredConstructor();
                c.setAccessible(true);
                return c;
            } catch (NoSuchMethodException e) {
                throw new GrainException(
                        "Grain class " + type.getName()
                                + " needs a no-argument constructor (or use the Spring starter for constructor injection)",
                        e);
            }
        });
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime; // already says what is wrong (e.g. an unknown storage name)
            }
            throw new GrainException("Constructor of " + grainClass.grainClass().getName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new GrainException(
                    "Cannot construct " + grainClass.grainClass().getName(), e);
        }
    }
}
