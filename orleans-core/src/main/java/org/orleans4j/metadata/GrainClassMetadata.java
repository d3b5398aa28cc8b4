package org.orleans4j.metadata;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.CollectionAgeLimit;
import org.orleans4j.grain.GrainTypeName;
import org.orleans4j.grain.Reentrant;
import org.orleans4j.placement.PlacementStrategy;
import org.orleans4j.placement.RandomPlacementStrategy;

/** What the runtime knows about one grain implementation class. */
public final class GrainClassMetadata {

    /** The grain type of clients' observer objects; no grain class can have it ({@code $} starts no type name here). */
    public static final String OBSERVER_TYPE = "$observer";

    private final Class<?> grainClass;
    private final String typeName;
    private final PlacementStrategy placementStrategy;
    private final boolean reentrant;
    private final @Nullable Duration collectionAge;
    private final boolean alwaysActive;
    private final int maxLocalWorkers;

    GrainClassMetadata(Class<?> grainClass, PlacementStrategy placementStrategy, int maxLocalWorkers) {
        this(grainClass, typeNameOf(grainClass), placementStrategy, maxLocalWorkers);
    }

    /** Stands for a client's observer object of {@code observerInterface}: never placed nor activated. */
    static GrainClassMetadata observer(Class<?> observerInterface) {
        return new GrainClassMetadata(observerInterface, OBSERVER_TYPE, RandomPlacementStrategy.INSTANCE, 0);
    }

    private GrainClassMetadata(
            Class<?> grainClass, String typeName, PlacementStrategy placementStrategy, int maxLocalWorkers) {
        this.grainClass = grainClass;
        this.typeName = typeName;
        this.placementStrategy = placementStrategy;
        this.reentrant = grainClass.isAnnotationPresent(Reentrant.class);
        CollectionAgeLimit limit = grainClass.getAnnotation(CollectionAgeLimit.class);
        this.alwaysActive = limit != null && limit.alwaysActive();
        Duration age = limit == null
                ? null
                : Duration.ofSeconds(limit.seconds())
                        .plusMinutes(limit.minutes())
                        .plusHours(limit.hours());
        this.collectionAge = age == null || age.isZero() ? null : age;
        this.maxLocalWorkers = maxLocalWorkers;
    }

    /** {@code @GrainTypeName} if present, else the simple name, lower-case, minus {@code Grain}/{@code GrainImpl}. */
    public static String typeNameOf(Class<?> grainClass) {
        GrainTypeName named = grainClass.getAnnotation(GrainTypeName.class);
        if (named != null) {
            return named.value();
        }
        String name = grainClass.getSimpleName().toLowerCase(Locale.ROOT);
        for (String suffix : new String[] {"grainimpl", "grain", "impl"}) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    public Class<?> grainClass() {
        return grainClass;
    }

    public String typeName() {
        return typeName;
    }

    public PlacementStrategy placementStrategy() {
        return placementStrategy;
    }

    public boolean isReentrant() {
        return reentrant;
    }

    /** The class's own collection age, or {@code null} for the silo's. */
    public @Nullable Duration collectionAge() {
        return collectionAge;
    }

    public boolean isAlwaysActive() {
        return alwaysActive;
    }

    /** More than zero for stateless workers: how many activations one silo may hold per grain id. */
    public int maxLocalWorkers() {
        return maxLocalWorkers;
    }

    public boolean isStatelessWorker() {
        return maxLocalWorkers > 0;
    }

    @Override
    public String toString() {
        return typeName + " (" + grainClass.getName() + ")";
    }
}
