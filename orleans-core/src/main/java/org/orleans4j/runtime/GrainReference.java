package org.orleans4j.runtime;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.orleans4j.grain.GrainId;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.metadata.GrainInterfaceMetadata;
import org.orleans4j.metadata.MethodInfo;

/**
 * The invocation handler behind a grain proxy: the grain's id and the interface it is called
 * through. Two references are equal when they name the same grain through the same interface.
 */
final class GrainReference implements InvocationHandler {

    private final GrainId grainId;
    private final GrainClassMetadata grainClass;
    private final GrainInterfaceMetadata grainInterface;
    private final Dispatcher dispatcher;

    GrainReference(
            GrainId grainId,
            GrainClassMetadata grainClass,
            GrainInterfaceMetadata grainInterface,
            Dispatcher dispatcher) {
        this.grainId = grainId;
        this.grainClass = grainClass;
        this.grainInterface = grainInterface;
        this.dispatcher = dispatcher;
    }

    GrainId grainId() {
        return grainId;
    }

    GrainClassMetadata grainClass() {
        return grainClass;
    }

    Class<?> grainInterface() {
        return grainInterface.grainInterface();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        MethodInfo info = grainInterface.method(method);
        if (info != null) {
            return dispatcher.call(this, info, args);
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        return switch (method.getName()) {
            case "equals" ->
                args[0] != null
                        && Proxy.isProxyClass(args[0].getClass())
                        && Proxy.getInvocationHandler(args[0]) instanceof GrainReference other
                        && other.grainId.equals(grainId)
                        && other.grainInterface() == grainInterface();
            case "hashCode" -> grainId.hashCode();
            case "toString" -> grainInterface().getSimpleName() + "[" + grainId + "]";
            default -> throw new UnsupportedOperationException(method.toString());
        };
    }
}
