package org.orleans4j.runtime;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/** The methods of one grain interface, looked up by the proxies on every call. */
public final class GrainInterfaceMetadata {

    private final Class<?> grainInterface;
    private final Map<Method, MethodInfo> methods = new HashMap<>();

    GrainInterfaceMetadata(Class<?> grainInterface) {
        this.grainInterface = grainInterface;
        for (Method method : grainInterface.getMethods()) {
            if (!Modifier.isStatic(method.getModifiers()) && !method.isDefault()) {
                methods.put(method, new MethodInfo(method));
            }
        }
    }

    public Class<?> grainInterface() {
        return grainInterface;
    }

    /** The method's info, or {@code null} for a method not on the interface (Object's, defaults). */
    public MethodInfo method(Method method) {
        return methods.get(method);
    }

    public Map<Method, MethodInfo> methods() {
        return Map.copyOf(methods);
    }
}
