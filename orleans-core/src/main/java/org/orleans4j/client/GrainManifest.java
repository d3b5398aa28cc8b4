package org.orleans4j.client;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.orleans4j.grain.GrainException;

/**
 * Which grain types implement which grain interfaces, as the gateways told this client: a client
 * has the interfaces but usually not the implementations, and a grain id names the type. Merged
 * over every gateway the client connected to, so a type hosted by only some silos is still found.
 */
final class GrainManifest {

    private final Map<String, Set<String>> typesByInterface = new ConcurrentHashMap<>();

    /** Adds a gateway's manifest (interface name → type names); anything not of that shape is ignored. */
    void merge(Object manifest) {
        if (!(manifest instanceof Map<?, ?> map)) {
            return;
        }
        map.forEach((name, types) -> {
            if (name instanceof String interfaceName && types instanceof Collection<?> names) {
                Set<String> known = typesByInterface.computeIfAbsent(interfaceName, k -> ConcurrentHashMap.newKeySet());
                for (Object type : names) {
                    if (type instanceof String typeName && !typeName.isEmpty()) {
                        known.add(typeName);
                    }
                }
            }
        });
    }

    /** The one grain type implementing {@code grainInterface}; fails clearly when none or several do. */
    String typeOf(Class<?> grainInterface) {
        Set<String> types = typesByInterface.get(grainInterface.getName());
        if (types == null || types.isEmpty()) {
            throw new GrainException("No grain class in the cluster implements " + grainInterface.getName()
                    + " (as the gateways this client connected to report); is its implementation registered with the "
                    + "silos, and does the client use the same interface?");
        }
        if (types.size() > 1) {
            throw new GrainException("Several grain types implement " + grainInterface.getName() + ": "
                    + new TreeSet<>(types) + "; reference them through interfaces of their own");
        }
        return types.iterator().next();
    }
}
