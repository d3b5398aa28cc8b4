package org.orleans4j.placement;

import java.lang.annotation.Annotation;
import java.lang.annotation.Inherited;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The placement strategy of a grain implementation class: built from its annotation that is
 * meta-annotated {@link Placement}, else the default strategy. Results are cached per class.
 * <p>
 * The annotation is looked up on the class, then on its superclasses (only {@link Inherited} ones
 * there, as Java's own inheritance rules say), nearest first: a subclass's own placement
 * annotation overrides the one it inherits. Two placement annotations on one class are an error.
 * <p>
 * The strategy is created with its public constructor taking the annotation when it has one (so
 * the annotation can carry parameters, as {@link StatelessWorker#maxLocalWorkers()} does), else
 * with its public no-argument constructor.
 */
public final class PlacementStrategyResolver {

    private final PlacementStrategy defaultStrategy;
    // ClassValue: lock-free lookups and no leak of grain classes loaded by a discarded class loader.
    private final ClassValue<PlacementStrategy> cache = new ClassValue<>() {
        @Override
        protected PlacementStrategy computeValue(Class<?> type) {
            return compute(type);
        }
    };

    /** Classes without a placement annotation get {@link RandomPlacementStrategy}. */
    public PlacementStrategyResolver() {
        this(RandomPlacementStrategy.INSTANCE);
    }

    /** @param defaultStrategy the strategy of classes without a placement annotation */
    public PlacementStrategyResolver(PlacementStrategy defaultStrategy) {
        this.defaultStrategy = Objects.requireNonNull(defaultStrategy, "defaultStrategy");
    }

    public PlacementStrategy defaultStrategy() {
        return defaultStrategy;
    }

    /**
     * @throws IllegalArgumentException when the class has two placement annotations, or its strategy
     *                                  cannot be created
     */
    public PlacementStrategy resolve(Class<?> grainClass) {
        return cache.get(Objects.requireNonNull(grainClass, "grainClass"));
    }

    private PlacementStrategy compute(Class<?> grainClass) {
        for (Class<?> type = grainClass; type != null && type != Object.class; type = type.getSuperclass()) {
            List<Annotation> placements = placementAnnotations(type, type != grainClass);
            if (placements.size() > 1) {
                throw new IllegalArgumentException("Grain class " + grainClass.getName()
                        + " has several placement annotations " + placements
                        + (type == grainClass ? "" : " (on " + type.getName() + ")") + "; keep one");
            }
            if (placements.size() == 1) {
                Annotation annotation = placements.get(0);
                Class<? extends PlacementStrategy> strategyType = annotation
                        .annotationType()
                        .getAnnotation(Placement.class)
                        .value();
                return instantiate(strategyType, annotation, grainClass);
            }
        }
        return defaultStrategy;
    }

    private static List<Annotation> placementAnnotations(Class<?> type, boolean inheritedOnly) {
        List<Annotation> placements = new ArrayList<>(1);
        for (Annotation annotation : type.getDeclaredAnnotations()) {
            Class<? extends Annotation> annotationType = annotation.annotationType();
            if (annotationType.isAnnotationPresent(Placement.class)
                    && (!inheritedOnly || annotationType.isAnnotationPresent(Inherited.class))) {
                placements.add(annotation);
            }
        }
        return placements;
    }

    private static PlacementStrategy instantiate(
            Class<? extends PlacementStrategy> strategyType, Annotation annotation, Class<?> grainClass) {
        Constructor<? extends PlacementStrategy> constructor = constructor(strategyType, annotation.annotationType());
        if (constructor == null) {
            throw new IllegalArgumentException("Placement strategy " + strategyType.getName() + " (used by grain class "
                    + grainClass.getName() + " through @"
                    + annotation.annotationType().getSimpleName()
                    + ") needs a public constructor taking @"
                    + annotation.annotationType().getSimpleName()
                    + " or a public no-argument constructor");
        }
        // A public constructor of a non-public (e.g. nested test) class still needs this.
        constructor.trySetAccessible();
        try {
            return constructor.getParameterCount() == 1
                    ? constructor.newInstance(annotation)
                    : constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(
                    "Placement strategy " + strategyType.getName() + " for grain class " + grainClass.getName()
                            + " could not be created: " + e.getCause(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(
                    "Placement strategy " + strategyType.getName() + " for grain class " + grainClass.getName()
                            + " could not be created: " + e,
                    e);
        }
    }

    /** The public constructor taking the annotation, else the public no-argument one, else null. */
    private static @Nullable Constructor<? extends PlacementStrategy> constructor(
            Class<? extends PlacementStrategy> strategyType, Class<? extends Annotation> annotationType) {
        try {
            return strategyType.getConstructor(annotationType);
        } catch (NoSuchMethodException e) {
            try {
                return strategyType.getConstructor();
            } catch (NoSuchMethodException none) {
                return null;
            }
        }
    }
}
