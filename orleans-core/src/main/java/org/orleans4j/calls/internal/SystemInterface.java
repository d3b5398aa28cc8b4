package org.orleans4j.calls.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainException;
import org.orleans4j.metadata.MethodInfo;

/**
 * A system target's Java interface: the services a silo runs for other silos and for clients (the
 * directory, membership notices, probes, statistics, the grain manifest). A call travels as the
 * method's wire id ({@link MethodInfo#idOf}) and its arguments, like a grain call. The receiving side
 * runs it only if the method exists and every argument has its parameter's type (list elements
 * included); the calling side checks an answer against the type argument of the method's
 * {@link CompletableFuture}. A {@code void} method is a one-way notice.
 *
 * @param <T> the interface
 */
public final class SystemInterface<T> {

    /** How a proxy reaches the target: a request with an answer, or a one-way notice. */
    public interface Transport {
        CompletableFuture<@Nullable Object> call(int operation, @Nullable Object[] args);

        void notify(int operation, @Nullable Object[] args);
    }

    private final String name;
    private final Class<T> type;
    private final Map<Integer, Method> methods;
    private final Map<Method, Integer> ids = new HashMap<>();

    private SystemInterface(String name, Class<T> type) {
        this.name = name;
        this.type = type;
        this.methods = methodsOf(type);
        methods.forEach((id, method) -> ids.put(method, id));
    }

    /** The interface {@code type} of the system target {@code name}; fails for a method it cannot carry. */
    public static <T> SystemInterface<T> of(String name, Class<T> type) {
        return new SystemInterface<>(name, type);
    }

    /** Runs operation {@code operation} with {@code args} from the network on {@code service}. */
    public @Nullable Object invoke(T service, int operation, @Nullable Object[] args) {
        Method method = methods.get(operation);
        if (method == null) {
            throw new GrainException("System target '" + name + "' has no operation " + operation);
        }
        checkArguments(method, args);
        try {
            return method.invoke(service, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new GrainException("System target '" + name + "' failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The target as a {@code T} whose calls go through {@code transport}; {@code where} names it in messages. */
    public T proxy(String where, Transport transport) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Integer id = ids.get(method);
            if (id == null) {
                return switch (method.getName()) {
                    case "toString" -> type.getSimpleName() + "[" + name + "@" + where + "]";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.toString());
                };
            }
            @Nullable Object[] arguments = args == null ? new Object[0] : args;
            if (method.getReturnType() == void.class) {
                transport.notify(id, arguments);
                return null;
            }
            Class<?> answerType = answerType(method);
            return transport.call(id, arguments).thenApply(answer -> {
                if (answer != null && !answerType.isInstance(answer)) {
                    throw new GrainException(where + " answered " + type.getSimpleName() + "." + method.getName()
                            + " with a " + answer.getClass().getName());
                }
                return answer;
            });
        }));
    }

    private static Map<Integer, Method> methodsOf(Class<?> type) {
        Map<Integer, Method> methods = new HashMap<>();
        for (Method method : type.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            if (method.getReturnType() != void.class && method.getReturnType() != CompletableFuture.class) {
                throw new IllegalArgumentException(
                        "System target method " + method + " must return void or a CompletableFuture");
            }
            if (methods.put(MethodInfo.idOf(method), method) != null) {
                throw new IllegalArgumentException("Two methods of " + type.getName() + " have the same wire id");
            }
        }
        return methods;
    }

    /** The class a request's answer must have: the type argument of its {@code CompletableFuture}. */
    private static Class<?> answerType(Method method) {
        if (method.getGenericReturnType() instanceof ParameterizedType future) {
            return rawClass(future.getActualTypeArguments()[0]);
        }
        return Object.class;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    /** Every argument from the network must have its parameter's type before the service sees it. */
    private void checkArguments(Method method, @Nullable Object[] args) {
        Class<?>[] types = method.getParameterTypes();
        Type[] generic = method.getGenericParameterTypes();
        if (args.length != types.length) {
            throw malformed(method, "it has " + args.length + " arguments instead of " + types.length);
        }
        for (int i = 0; i < types.length; i++) {
            Object arg = args[i];
            if (arg == null) {
                if (types[i].isPrimitive()) {
                    throw malformed(method, "argument " + i + " is missing");
                }
                continue;
            }
            if (!boxed(types[i]).isInstance(arg)) {
                throw malformed(method, "argument " + i + " is not a " + types[i].getSimpleName());
            }
            if (arg instanceof List<?> list
                    && generic[i] instanceof ParameterizedType listType
                    && listType.getActualTypeArguments()[0] instanceof Class<?> element) {
                for (Object item : list) {
                    if (!element.isInstance(item)) {
                        throw malformed(
                                method, "argument " + i + " holds something other than a " + element.getSimpleName());
                    }
                }
            }
        }
    }

    private GrainException malformed(Method method, String why) {
        return new GrainException(
                "Malformed request to system target '" + name + "' (" + method.getName() + "): " + why);
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "boolean" -> Boolean.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            default -> Character.class;
        };
    }
}
