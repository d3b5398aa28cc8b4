package org.orleans4j.runtime;

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
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainException;
import org.orleans4j.metadata.MethodInfo;

/**
 * Typed system targets: the services every silo runs for the others (the directory, statistics,
 * membership notices, indirect probes), each called through a Java interface. A call travels as the
 * method's wire id ({@link MethodInfo#idOf}) and its arguments, like a grain call. The receiver runs it
 * only if the method exists and every argument has its parameter's type (list elements included), and
 * hands the service the sender as the connection's handshake established it, never as a message says.
 * A method returning a {@link CompletableFuture} is a request whose answer is checked against the
 * declared type; a {@code void} method is a one-way notice.
 */
final class SystemTargets {

    private final MessageCenter messages;

    SystemTargets(MessageCenter messages) {
        this.messages = messages;
    }

    /** Serves {@code name}: each call runs on the service {@code forSender} gives for the calling silo. */
    <T> void serve(String name, Class<T> type, Function<SiloAddress, ? extends T> forSender) {
        Map<Integer, Method> methods = methodsOf(type);
        messages.addSystemTarget(name, (sender, operation, args) -> {
            Method method = methods.get(operation);
            if (method == null) {
                throw new GrainException("System target '" + name + "' has no operation " + operation);
            }
            checkArguments(name, method, args);
            try {
                return method.invoke(forSender.apply(sender), args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw new GrainException("System target '" + name + "' failed: " + e.getCause(), e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The system target {@code name} of {@code silo}, as a {@code type}. */
    <T> T remote(String name, Class<T> type, SiloAddress silo) {
        Map<Method, Integer> ids = new HashMap<>();
        methodsOf(type).forEach((id, method) -> ids.put(method, id));
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Integer id = ids.get(method);
            if (id == null) {
                return switch (method.getName()) {
                    case "toString" -> type.getSimpleName() + "[" + name + "@" + silo + "]";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.toString());
                };
            }
            @Nullable Object[] arguments = args == null ? new Object[0] : args;
            if (method.getReturnType() == void.class) {
                messages.notifySystem(silo, name, id, arguments);
                return null;
            }
            Class<?> answerType = answerType(method);
            return messages.callSystem(silo, name, id, arguments).thenApply(answer -> {
                if (answer != null && !answerType.isInstance(answer)) {
                    throw new GrainException("Silo " + silo + " answered " + type.getSimpleName() + "."
                            + method.getName() + " with a " + answer.getClass().getName());
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
    private static void checkArguments(String name, Method method, @Nullable Object[] args) {
        Class<?>[] types = method.getParameterTypes();
        Type[] generic = method.getGenericParameterTypes();
        if (args.length != types.length) {
            throw malformed(name, method, "it has " + args.length + " arguments instead of " + types.length);
        }
        for (int i = 0; i < types.length; i++) {
            Object arg = args[i];
            if (arg == null) {
                if (types[i].isPrimitive()) {
                    throw malformed(name, method, "argument " + i + " is missing");
                }
                continue;
            }
            if (!boxed(types[i]).isInstance(arg)) {
                throw malformed(name, method, "argument " + i + " is not a " + types[i].getSimpleName());
            }
            if (arg instanceof List<?> list
                    && generic[i] instanceof ParameterizedType listType
                    && listType.getActualTypeArguments()[0] instanceof Class<?> element) {
                for (Object item : list) {
                    if (!element.isInstance(item)) {
                        throw malformed(
                                name,
                                method,
                                "argument " + i + " holds something other than a " + element.getSimpleName());
                    }
                }
            }
        }
    }

    private static GrainException malformed(String name, Method method, String why) {
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
