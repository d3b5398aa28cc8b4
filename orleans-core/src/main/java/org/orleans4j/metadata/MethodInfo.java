package org.orleans4j.metadata;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.AlwaysInterleave;
import org.orleans4j.grain.Idempotent;
import org.orleans4j.grain.OneWay;
import org.orleans4j.grain.ReadOnly;
import org.orleans4j.grain.StableHash;

/** One method of a grain interface, with the scheduling flags its annotations give it. */
public final class MethodInfo {

    private final Method method;
    private final boolean oneWay;
    private final boolean readOnly;
    private final boolean idempotent;
    private final boolean alwaysInterleave;
    private final boolean returnsVoid;
    private final int id;

    MethodInfo(Method method) {
        this.method = method;
        this.oneWay = method.isAnnotationPresent(OneWay.class);
        this.readOnly = method.isAnnotationPresent(ReadOnly.class);
        this.idempotent = readOnly || method.isAnnotationPresent(Idempotent.class);
        this.alwaysInterleave = method.isAnnotationPresent(AlwaysInterleave.class);
        this.returnsVoid = method.getReturnType() == void.class;
        this.id = idOf(method);
        if (!(returnsVoid && oneWay) && method.getReturnType() != CompletableFuture.class) {
            throw new IllegalArgumentException(
                    "Grain interface method " + method.getDeclaringClass().getName() + "." + method.getName()
                            + " must return CompletableFuture (or be void and annotated @OneWay)");
        }
        method.setAccessible(true);
    }

    public Method method() {
        return method;
    }

    /** Stable across JVMs: identifies the method in messages between silos. */
    public int id() {
        return id;
    }

    public String name() {
        return method.getName();
    }

    public boolean isOneWay() {
        return oneWay;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /** {@link Idempotent} or {@link ReadOnly}: may be sent again when it is unknown whether it ran. */
    public boolean isIdempotent() {
        return idempotent;
    }

    public boolean isAlwaysInterleave() {
        return alwaysInterleave;
    }

    public boolean returnsVoid() {
        return returnsVoid;
    }

    /**
     * Invokes the method on a grain instance. Exceptions thrown by the grain are returned as a
     * failed future, so synchronous throws and failed futures look the same to callers.
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<@Nullable Object> invoke(Object grain, @Nullable Object @Nullable [] args) {
        try {
            Object result = method.invoke(grain, args);
            if (returnsVoid) {
                return CompletableFuture.completedFuture(null);
            }
            if (result == null) {
                return CompletableFuture.failedFuture(new NullPointerException(
                        "Grain method " + grain.getClass().getName() + "." + method.getName()
                                + " returned null instead of a CompletableFuture"));
            }
            return (CompletableFuture<@Nullable Object>) result;
        } catch (InvocationTargetException e) {
            return CompletableFuture.failedFuture(e.getCause());
        } catch (IllegalAccessException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public String toString() {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }

    /** A method's id: stable across JVMs, from its name and parameter types. */
    public static int idOf(Method method) {
        StringBuilder signature = new StringBuilder(method.getName()).append('(');
        for (Class<?> type : method.getParameterTypes()) {
            signature.append(type.getName()).append(';');
        }
        return StableHash.hash(signature.append(')').toString());
    }
}
