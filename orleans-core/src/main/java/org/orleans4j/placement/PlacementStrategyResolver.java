package org.orleans4j.placement;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The placement strategy of a grain class: from its annotation meta-annotated {@link Placement}
 * (inherited ones count), else the default strategy.
 */
public final class PlacementStrategyResolver {

    private final PlacementStrategy defaultStrategy;
    private final ClassValue<PlacementStrategy> cache = new ClassValue<>() {
        @Override
        protected PlacementStrategy computeValue(Class<?> type) {
            return compute(type);
        }
    };

    public PlacementStrategyResolver(PlacementStrategy defaultStrategy) {
        this.defaultStrategy = Objects.requireNonNull(defaultStrategy, "defaultStrategy");
    }

    public PlacementStrategy defaultStrategy() {
        return defaultStrategy;
    }

    public PlacementStrategy resolve(Class<?> grainClass) {
        return cache.get(grainClass);
    }

    private PlacementStrategy compute(Class<?> grainClass) {
        List<Annotation> placements = new ArrayList<>();
        for (Annotation annotation : grainClass.getAnnotations()) {
            if (annotation.annotationType().isAnnotationPresent(Placement.class)) {
                placements.add(annotation);
            }
        }
        if (placements.isEmpty()) {
            return defaultStrategy;
        }
        if (placements.size() > 1) {
            throw new IllegalArgumentException("Grain class " + grainClass.getName()
                    + " has several placement annotations " + placements + "; keep one");
        }
        Annotation annotation = placements.get(0);
        return instantiate(annotation.annotationType().getAnnotation(Placement.class).value(), annotation, grainClass);
    }

    private static PlacementStrategy instantiate(Class<? extends PlacementStrategy> type, Annotation annotation,
            Class<?> grainClass) {
        try {
            try {
                Constructor<? extends PlacementStrategy> withAnnotation = type.getConstructor(annotation.annotationType());
                return withAnnotation.newInstance(annotation);
            } catch (NoSuchMethodException e) {
                return type.getConstructor().newInstance();
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("Placement strategy " + type.getName() + " (used by " + grainClass.getName()
                    + ") needs a public no-argument constructor or one taking @" + annotation.annotationType().getSimpleName());
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Placement strategy " + type.getName() + " for " + grainClass.getName()
                    + " could not be created: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("Placement strategy " + type.getName() + " for " + grainClass.getName()
                    + " could not be created", e);
        }
    }
}
