package org.orleans4j.metadata;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloManifest;
import org.orleans4j.grain.Grain;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainObserver;
import org.orleans4j.grain.GrainWithLongKey;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.GrainWithUuidKey;
import org.orleans4j.placement.PlacementStrategy;
import org.orleans4j.placement.PlacementStrategyResolver;
import org.orleans4j.placement.StatelessWorkerPlacementStrategy;

/**
 * The grain classes a silo hosts and the interfaces they implement. An interface implemented by
 * exactly one registered class resolves to it; one implemented by several is ambiguous and a
 * reference to it fails with a message naming the candidates.
 */
public final class GrainTypeRegistry {

    private static final Set<Class<?>> KEY_MARKERS = Set.of(
            Grain.class, GrainWithStringKey.class, GrainWithLongKey.class, GrainWithUuidKey.class, GrainObserver.class);

    private final PlacementStrategyResolver strategyResolver;
    private final Map<String, GrainClassMetadata> byTypeName = new ConcurrentHashMap<>();
    private final Map<Class<?>, List<GrainClassMetadata>> byInterface = new ConcurrentHashMap<>();
    private final Map<Class<?>, GrainInterfaceMetadata> interfaces = new ConcurrentHashMap<>();
    private final Map<String, GrainInterfaceMetadata> interfacesByName = new ConcurrentHashMap<>();
    private final Map<Class<?>, GrainInterfaceMetadata> observerInterfaces = new ConcurrentHashMap<>();
    private final Map<String, GrainInterfaceMetadata> observerInterfacesByName = new ConcurrentHashMap<>();
    private final Map<Class<?>, GrainClassMetadata> observerTargets = new ConcurrentHashMap<>();

    public GrainTypeRegistry(PlacementStrategyResolver strategyResolver) {
        this.strategyResolver = strategyResolver;
    }

    /** Registers a grain implementation class; returns its metadata. */
    public GrainClassMetadata register(Class<?> grainClass) {
        if (grainClass.isInterface() || Modifier.isAbstract(grainClass.getModifiers())) {
            throw new IllegalArgumentException("Grain class " + grainClass.getName() + " must be a concrete class");
        }
        Set<Class<?>> grainInterfaces = grainInterfacesOf(grainClass);
        if (grainInterfaces.isEmpty()) {
            throw new IllegalArgumentException(
                    "Grain class " + grainClass.getName()
                            + " implements no grain interface (an interface extending GrainWithStringKey, GrainWithLongKey or GrainWithUuidKey)");
        }
        PlacementStrategy strategy = strategyResolver.resolve(grainClass);
        int maxLocalWorkers = strategy instanceof StatelessWorkerPlacementStrategy sw ? sw.maxLocalWorkers() : 0;
        GrainClassMetadata metadata = new GrainClassMetadata(grainClass, strategy, maxLocalWorkers);
        if (metadata.typeName().equals(GrainClassMetadata.OBSERVER_TYPE)) {
            throw new IllegalArgumentException("Grain class " + grainClass.getName() + " has the grain type name '"
                    + GrainClassMetadata.OBSERVER_TYPE + "', which is reserved for observers; give it another "
                    + "@GrainTypeName");
        }
        GrainClassMetadata existing = byTypeName.putIfAbsent(metadata.typeName(), metadata);
        if (existing != null) {
            if (existing.grainClass() == grainClass) {
                return existing;
            }
            throw new IllegalArgumentException(
                    "Grain classes " + existing.grainClass().getName() + " and "
                            + grainClass.getName() + " both have grain type name '" + metadata.typeName()
                            + "'; give one of them @GrainTypeName");
        }
        for (Class<?> grainInterface : grainInterfaces) {
            GrainInterfaceMetadata interfaceMetadata =
                    interfaces.computeIfAbsent(grainInterface, GrainInterfaceMetadata::new);
            interfacesByName.putIfAbsent(grainInterface.getName(), interfaceMetadata);
            byInterface.computeIfAbsent(grainInterface, k -> new ArrayList<>()).add(metadata);
        }
        return metadata;
    }

    private static Set<Class<?>> grainInterfacesOf(Class<?> type) {
        Set<Class<?>> result = new LinkedHashSet<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                collect(i, result);
            }
        }
        return result;
    }

    private static void collect(Class<?> iface, Set<Class<?>> result) {
        if (Grain.class.isAssignableFrom(iface) && !KEY_MARKERS.contains(iface) && result.add(iface)) {
            for (Class<?> parent : iface.getInterfaces()) {
                collect(parent, result);
            }
        }
    }

    /** Makes observer interface {@code type} known by name, for the calls to it that pass through this silo. */
    public void registerObserverInterface(Class<?> type) {
        if (isObserverInterface(type)) {
            observerInterfacesByName.putIfAbsent(type.getName(), interfaceMetadata(type));
        }
    }

    /** A registered observer interface by its class name, or {@code null}: no class lookup by name. */
    public @Nullable GrainInterfaceMetadata observerInterfaceByName(String name) {
        return observerInterfacesByName.get(name);
    }

    /** An interface whose implementations are clients' observer objects. */
    public static boolean isObserverInterface(Class<?> type) {
        return type.isInterface() && GrainObserver.class.isAssignableFrom(type) && type != GrainObserver.class;
    }

    /** What a call to an observer of {@code observerInterface} is addressed to, in place of a grain class. */
    public GrainClassMetadata observerTarget(Class<?> observerInterface) {
        return observerTargets.computeIfAbsent(observerInterface, GrainClassMetadata::observer);
    }

    /** The class implementing {@code grainInterface}; fails clearly when none or several do. */
    public GrainClassMetadata implementationOf(Class<?> grainInterface) {
        List<GrainClassMetadata> candidates = byInterface.get(grainInterface);
        if (candidates == null || candidates.isEmpty()) {
            throw new GrainException("No grain class implements " + grainInterface.getName()
                    + "; is the implementation registered with the silo (a Spring bean in a scanned package)?");
        }
        if (candidates.size() > 1) {
            throw new GrainException("Several grain classes implement " + grainInterface.getName() + ": "
                    + candidates.stream().map(m -> m.grainClass().getName()).toList()
                    + "; reference them through interfaces of their own");
        }
        return candidates.get(0);
    }

    /** Whether a grain class of this silo has type name {@code typeName}. */
    public boolean hasType(String typeName) {
        return byTypeName.containsKey(typeName);
    }

    public GrainClassMetadata byTypeName(String typeName) {
        GrainClassMetadata metadata = byTypeName.get(typeName);
        if (metadata == null) {
            throw new GrainException("Unknown grain type '" + typeName + "'; registered types: " + byTypeName.keySet());
        }
        return metadata;
    }

    public GrainInterfaceMetadata interfaceMetadata(Class<?> grainInterface) {
        GrainInterfaceMetadata metadata = interfaces.get(grainInterface);
        if (metadata == null && isObserverInterface(grainInterface)) {
            // Implemented by clients' objects, not by grain classes: known by its methods alone.
            return observerInterfaces.computeIfAbsent(grainInterface, GrainInterfaceMetadata::new);
        }
        if (metadata == null) {
            implementationOf(grainInterface); // throws the helpful message
        }
        return metadata;
    }

    /** The metadata of a registered grain interface by its class name, or {@code null}: no class lookup by name. */
    public @Nullable GrainInterfaceMetadata interfaceByName(String name) {
        return interfacesByName.get(name);
    }

    /**
     * Interface name → names of the grain types implementing it: what a cluster client needs to build
     * grain ids from interfaces it has no implementation of. Plain {@link HashMap} and
     * {@link ArrayList}, which cross the wire.
     */
    public Map<String, List<String>> manifest() {
        Map<String, List<String>> manifest = new HashMap<>();
        byInterface.forEach((grainInterface, classes) -> manifest.put(
                grainInterface.getName(),
                new ArrayList<>(classes.stream()
                        .map(GrainClassMetadata::typeName)
                        .sorted()
                        .toList())));
        return manifest;
    }

    /**
     * What this silo hosts, for its membership row: its grain types and the version of each grain
     * interface they implement.
     */
    public SiloManifest siloManifest(String appVersion) {
        Map<String, Integer> versions = new HashMap<>();
        interfaces.forEach((grainInterface, metadata) -> versions.put(grainInterface.getName(), metadata.version()));
        return new SiloManifest(appVersion, byTypeName.keySet(), versions);
    }

    /** Every registered grain interface. */
    public Collection<Class<?>> grainInterfaces() {
        return List.copyOf(interfaces.keySet());
    }

    public Collection<GrainClassMetadata> grainClasses() {
        return List.copyOf(byTypeName.values());
    }

    /** The strategy of grain classes without a placement annotation. */
    public PlacementStrategy defaultPlacementStrategy() {
        return strategyResolver.defaultStrategy();
    }
}
