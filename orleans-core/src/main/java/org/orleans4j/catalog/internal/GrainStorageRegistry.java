package org.orleans4j.catalog.internal;

import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainException;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.persistence.GrainStorage;

/**
 * The storage providers of a silo by name. A state declared without a storage name uses the
 * provider named {@value #DEFAULT_NAME}, or the only provider when there is exactly one.
 */
public final class GrainStorageRegistry {

    public static final String DEFAULT_NAME = "Default";

    private final Map<String, GrainStorage> providers;

    public GrainStorageRegistry(Map<String, GrainStorage> providers) {
        this.providers = new TreeMap<>(providers);
    }

    public GrainStorage resolve(@Nullable String name, GrainClassMetadata grainClass) {
        if (name == null || name.isBlank()) {
            GrainStorage storage = providers.get(DEFAULT_NAME);
            if (storage == null && providers.size() == 1) {
                storage = providers.values().iterator().next();
            }
            if (storage == null) {
                throw new GrainException("Grain " + grainClass.grainClass().getName()
                        + " declares persistent state in the default storage, but "
                        + (providers.isEmpty()
                                ? "no grain storage is configured (add a GrainStorage, e.g. a DataSource for the JDBC one)"
                                : "none of " + providers.keySet() + " is named '" + DEFAULT_NAME + "'"));
            }
            return storage;
        }
        GrainStorage storage = providers.get(name);
        if (storage == null) {
            throw new GrainException("Grain " + grainClass.grainClass().getName() + " uses grain storage '" + name
                    + "', which is not configured; configured: " + providers.keySet());
        }
        return storage;
    }

    public Map<String, GrainStorage> providers() {
        return Map.copyOf(providers);
    }
}
