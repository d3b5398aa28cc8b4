package org.orleans4j.metadata;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The methods of one grain interface, looked up by the proxies on every call. */
public final class GrainInterfaceMetadata {

    private final Class<?> grainInterface;
    private final Map<Method, MethodInfo> methods = new HashMap<>();
    private final Map<Integer, MethodInfo> byId = new HashMap<>();

    public GrainInterfaceMetadata(Class<?> grainInterface) {
        this.grainInterface = grainInterface;
        for (Method method : grainInterface.getMethods()) {
            if (!Modifier.isStatic(method.getModifiers()) && !method.isDefault()) {
                MethodInfo info = new MethodInfo(method);
                methods.put(method, info);
                MethodInfo clash = byId.put(info.id(), info);
                if (clash != null && !clash.method().equals(method)) {
                    throw new IllegalArgumentException("Methods " + clash + " and " + info + " of "
                            + grainInterface.getName() + " have the same wire id; rename one of them");
                }
            }
        }
    }

    public Class<?> grainInterface() {
        return grainInterface;
    }

    /** The method's info, or {@code null} for a method not on the interface (Object's, defaults). */
    public @Nullable MethodInfo method(Method method) {
        return methods.get(method);
    }

    /** The method with this wire id, or {@code null}. */
    public @Nullable MethodInfo method(int id) {
        return byId.get(id);
    }

    public Map<Method, MethodInfo> methods() {
        return Map.copyOf(methods);
    }
}
