package org.orleans4j.serialization.internal;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.Grain;
import org.orleans4j.grain.GrainObserver;
import org.orleans4j.grain.GrainWithLongKey;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.GrainWithUuidKey;

/**
 * The allow-list of application types that may cross the wire: every type reachable from the
 * signatures of the grain interfaces (parameters, the {@code CompletableFuture} result, the fields
 * and record components of those types, their declared exceptions), plus types added explicitly.
 * JDK types are never taken from signatures; only the serializer's built-in list of them is allowed,
 * so a peer cannot make this JVM instantiate an arbitrary class.
 */
public final class SerializationTypes {

    private final Set<Class<?>> types = new LinkedHashSet<>();
    private final Set<Class<? extends Throwable>> exceptions = new LinkedHashSet<>();
    /**
     * Packages of the application's grain interfaces and allowed types: the other types of these packages
     * (and, outside the runtime's own, of their subpackages) cross the wire without being listed.
     */
    private final Set<String> applicationPackages = new LinkedHashSet<>();

    private @Nullable ClassLoader applicationLoader;

    /** Grain interfaces whose references may cross the wire (as their grain ids). */
    private final Set<Class<?>> grainInterfaces = new LinkedHashSet<>();

    /** Allows the types used by every method of {@code grainInterface}. */
    public SerializationTypes scanInterface(Class<?> grainInterface) {
        addGrainInterface(grainInterface);
        for (Method method : grainInterface.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            for (Type parameter : method.getGenericParameterTypes()) {
                walk(parameter);
            }
            Type result = method.getGenericReturnType();
            if (result instanceof ParameterizedType p && p.getRawType() == CompletableFuture.class) {
                walk(p.getActualTypeArguments()[0]);
            }
            for (Class<?> thrown : method.getExceptionTypes()) {
                addException(thrown.asSubclass(Throwable.class));
            }
        }
        return this;
    }

    /** The types of {@code type}'s package cross the wire without being listed (a grain class's, say). */
    public SerializationTypes allowPackageOf(Class<?> type) {
        if (!isJdk(type) && !type.getPackageName().isEmpty()) {
            applicationPackages.add(type.getPackageName());
            if (applicationLoader == null) {
                applicationLoader = type.getClassLoader();
            }
        }
        return this;
    }

    /** Allows a type (and what its fields reach), e.g. a subclass used where a signature names its supertype. */
    public SerializationTypes allow(Class<?> type) {
        allowPackageOf(type);
        if (Throwable.class.isAssignableFrom(type)) {
            addException(type.asSubclass(Throwable.class));
        } else if (isJdk(type)) {
            throw new IllegalArgumentException("JDK type " + type.getName() + " cannot be added to the allow-list; "
                    + "the built-in JDK types are: collections, maps, boxed primitives, String, UUID, BigDecimal, "
                    + "BigInteger, java.time values, arrays of these");
        } else {
            walk(type);
        }
        return this;
    }

    /**
     * A grain interface other than the markers every grain interface extends. An observer interface's
     * calls cross the wire too (grain to client), so its signatures are allowed as well.
     */
    private void addGrainInterface(Class<?> type) {
        if (type.isInterface()
                && Grain.class.isAssignableFrom(type)
                && !MARKERS.contains(type)
                && grainInterfaces.add(type)) {
            allowPackageOf(type);
            if (GrainObserver.class.isAssignableFrom(type)) {
                scanInterface(type);
            }
        }
    }

    private static final Set<Class<?>> MARKERS = Set.of(
            Grain.class, GrainWithStringKey.class, GrainWithLongKey.class, GrainWithUuidKey.class, GrainObserver.class);

    /** The grain (and observer) interfaces whose references may cross the wire, by name. */
    public Collection<Class<?>> grainInterfaces() {
        TreeMap<String, Class<?>> byName = new TreeMap<>();
        grainInterfaces.forEach(type -> byName.put(type.getName(), type));
        return byName.values();
    }

    private void addException(Class<? extends Throwable> type) {
        exceptions.add(type);
    }

    private void walk(Type type) {
        if (type instanceof Class<?> c) {
            walkClass(c);
        } else if (type instanceof ParameterizedType p) {
            walk(p.getRawType());
            for (Type argument : p.getActualTypeArguments()) {
                walk(argument);
            }
        } else if (type instanceof GenericArrayType a) {
            walk(a.getGenericComponentType());
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                walk(bound);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type bound : v.getBounds()) {
                walk(bound);
            }
        }
    }

    private void walkClass(Class<?> c) {
        if (c.isArray()) {
            Class<?> component = c.getComponentType();
            walkClass(component);
            if (!isJdk(component) && !component.isPrimitive()) {
                types.add(c);
            }
            return;
        }
        if (c.isPrimitive() || isJdk(c) || !types.add(c)) {
            return;
        }
        if (c.isRecord()) {
            for (RecordComponent component : c.getRecordComponents()) {
                walk(component.getGenericType());
            }
            return;
        }
        if (c.isInterface()) {
            addGrainInterface(c);
            return;
        }
        if (c.isEnum()) {
            return;
        }
        for (Class<?> k = c; k != null && !isJdk(k); k = k.getSuperclass()) {
            for (Field field : k.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers)) {
                    walk(field.getGenericType());
                }
            }
        }
    }

    static boolean isJdk(Class<?> c) {
        String name = c.getName();
        return name.startsWith("java.")
                || name.startsWith("javax.")
                || name.startsWith("jdk.")
                || name.startsWith("sun.")
                || name.startsWith("com.sun.");
    }

    /**
     * The allowed application types that are concrete enough to register, by name so that every
     * JVM registers them identically whatever order they were found in.
     */
    Collection<Class<?>> concreteTypes() {
        TreeMap<String, Class<?>> byName = new TreeMap<>();
        for (Class<?> type : types) {
            if (!type.isInterface() && (type.isArray() || type.isEnum() || !Modifier.isAbstract(type.getModifiers()))) {
                byName.put(type.getName(), type);
            }
        }
        return byName.values();
    }

    Set<String> applicationPackages() {
        return Set.copyOf(applicationPackages);
    }

    /** The class loader of the application's types. */
    ClassLoader applicationLoader() {
        return applicationLoader != null ? applicationLoader : SerializationTypes.class.getClassLoader();
    }

    Set<Class<? extends Throwable>> exceptionTypes() {
        return Set.copyOf(exceptions);
    }
}
