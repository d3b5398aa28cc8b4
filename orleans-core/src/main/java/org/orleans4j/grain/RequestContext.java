package org.orleans4j.grain;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Ambient key-value pairs that travel with grain calls: values set before a call are visible to the
 * callee (and to the calls it makes) through {@link #get}. Used, for instance, for the placement hint.
 * Keep values small; they are copied into every call made while they are set.
 */
public final class RequestContext {

    private static final ThreadLocal<Map<String, Object>> CURRENT = new ThreadLocal<>();

    private RequestContext() {}

    public static void set(String key, Object value) {
        Map<String, Object> map = CURRENT.get();
        Map<String, Object> copy = map == null ? new HashMap<>() : new HashMap<>(map);
        copy.put(key, value);
        CURRENT.set(Map.copyOf(copy));
    }

    public static @Nullable Object get(String key) {
        Map<String, Object> map = CURRENT.get();
        return map == null ? null : map.get(key);
    }

    public static void remove(String key) {
        Map<String, Object> map = CURRENT.get();
        if (map != null && map.containsKey(key)) {
            Map<String, Object> copy = new HashMap<>(map);
            copy.remove(key);
            CURRENT.set(copy.isEmpty() ? null : Map.copyOf(copy));
        }
    }

    public static void clear() {
        CURRENT.remove();
    }

    /** The current immutable map, or {@code null} when empty; captured by outgoing calls. */
    public static @Nullable Map<String, Object> export() {
        return CURRENT.get();
    }

    /** Installs a captured map (a request's) for the duration of a turn; returns the previous one. */
    public static @Nullable Map<String, Object> install(@Nullable Map<String, Object> map) {
        Map<String, Object> previous = CURRENT.get();
        if (map != previous) {
            CURRENT.set(map);
        }
        return previous;
    }
}
