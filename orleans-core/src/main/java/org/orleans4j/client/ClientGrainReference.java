package org.orleans4j.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.KeyKind;
import org.orleans4j.metadata.GrainInterfaceMetadata;
import org.orleans4j.metadata.MethodInfo;

/**
 * The invocation handler behind a client's grain proxy: interface and key. The grain type, which a
 * grain id needs, is looked up in the gateways' manifest at the first call (a proxy may be made before
 * the client connects), unless the proxy was made from a full grain id. Two references are equal
 * when they name the same key through the same interface (and the same type, when one was given).
 */
final class ClientGrainReference implements InvocationHandler {

    private final GrainInterfaceMetadata grainInterface;
    private final KeyKind keyKind;
    private final String key;
    /** Given with the reference, or {@code null} until resolved from the manifest. */
    private final String explicitType;

    private final ClientCalls calls;
    private volatile GrainId grainId;

    ClientGrainReference(
            GrainInterfaceMetadata grainInterface, KeyKind keyKind, String key, GrainId explicit, ClientCalls calls) {
        this.grainInterface = grainInterface;
        this.keyKind = keyKind;
        this.key = key;
        this.explicitType = explicit == null ? null : explicit.type();
        this.grainId = explicit;
        this.calls = calls;
    }

    /** The grain's id; resolves its type through {@code manifest} the first time (throws if the cluster has none). */
    GrainId grainId(GrainManifest manifest) {
        GrainId id = grainId;
        if (id == null) {
            id = GrainId.of(manifest.typeOf(grainInterface.grainInterface()), key, keyKind);
            grainId = id;
        }
        return id;
    }

    Class<?> grainInterface() {
        return grainInterface.grainInterface();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        MethodInfo info = grainInterface.method(method);
        if (info != null) {
            return calls.call(this, info, args);
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        return switch (method.getName()) {
            case "equals" ->
                args[0] != null
                        && Proxy.isProxyClass(args[0].getClass())
                        && Proxy.getInvocationHandler(args[0]) instanceof ClientGrainReference other
                        && other.grainInterface() == grainInterface()
                        && other.keyKind == keyKind
                        && other.key.equals(key)
                        && Objects.equals(other.explicitType, explicitType);
            case "hashCode" -> 31 * grainInterface().hashCode() + key.hashCode();
            case "toString" -> {
                GrainId id = grainId;
                yield grainInterface().getSimpleName() + "[" + (id != null ? id.toString() : "?/" + key) + "]";
            }
            default -> throw new UnsupportedOperationException(method.toString());
        };
    }
}
