package org.orleans4j.grain;

import java.lang.reflect.Proxy;
import org.jspecify.annotations.Nullable;

/**
 * Which grain a grain reference points at. Every reference a {@link GrainFactory} hands out is backed
 * by one, so code that stores or sends references (serializers, storage providers) can tell a reference
 * from any other object and keep only its id.
 */
public interface GrainIdentity {

    GrainId grainId();

    /** The grain interface the reference was made for. */
    Class<?> grainInterface();

    /** The identity of {@code value} when it is a grain reference, else {@code null}. */
    static @Nullable GrainIdentity of(@Nullable Object value) {
        if (value != null
                && Proxy.isProxyClass(value.getClass())
                && Proxy.getInvocationHandler(value) instanceof GrainIdentity identity) {
            return identity;
        }
        return null;
    }

    /** Whether {@code type} is the class of grain references (made for some grain interface). */
    static boolean isReferenceClass(Class<?> type) {
        return Proxy.isProxyClass(type) && Grain.class.isAssignableFrom(type);
    }
}
