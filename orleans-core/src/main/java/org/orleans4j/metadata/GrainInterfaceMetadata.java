package org.orleans4j.metadata;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.Version;

/** The methods of one grain interface, looked up by the proxies on every call. */
public final class GrainInterfaceMetadata {

    private final Class<?> grainInterface;
    private final int version;
    private final Map<Method, MethodInfo> methods = new HashMap<>();
    /** Wire ids in ascending order, and the methods they name: a request's method is found without boxing its id. */
    private final int[] ids;

    private final MethodInfo[] byId;

    public GrainInterfaceMetadata(Class<?> grainInterface) {
        this.grainInterface = grainInterface;
        this.version = versionOf(grainInterface);
        if (version < 0 || version > 0xFFFF) {
            throw new IllegalArgumentException(
                    "@Version(" + version + ") of " + grainInterface.getName() + " is out of range 0 to 65535");
        }
        TreeMap<Integer, MethodInfo> sorted = new TreeMap<>();
        for (Method method : grainInterface.getMethods()) {
            if (!Modifier.isStatic(method.getModifiers()) && !method.isDefault()) {
                MethodInfo info = new MethodInfo(method);
                methods.put(method, info);
                MethodInfo clash = sorted.put(info.id(), info);
                if (clash != null && !clash.method().equals(method)) {
                    throw new IllegalArgumentException("Methods " + clash + " and " + info + " of "
                            + grainInterface.getName() + " have the same wire id; rename one of them");
                }
            }
        }
        ids = sorted.keySet().stream().mapToInt(Integer::intValue).toArray();
        byId = sorted.values().toArray(MethodInfo[]::new);
    }

    public Class<?> grainInterface() {
        return grainInterface;
    }

    /** The interface's {@link Version}, 0 when it has none. */
    public int version() {
        return version;
    }

    /** The {@link Version} of {@code grainInterface}, 0 when it has none. */
    public static int versionOf(Class<?> grainInterface) {
        Version version = grainInterface.getAnnotation(Version.class);
        return version == null ? 0 : version.value();
    }

    /** The method's info, or {@code null} for a method not on the interface (Object's, defaults). */
    public @Nullable MethodInfo method(Method method) {
        return methods.get(method);
    }

    /** The method with this wire id, or {@code null}. */
    public @Nullable MethodInfo method(int id) {
        int index = Arrays.binarySearch(ids, id);
        return index < 0 ? null : byId[index];
    }

    public Map<Method, MethodInfo> methods() {
        return Map.copyOf(methods);
    }
}
