package org.orleans4j.calls.internal;

import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainId;
import org.orleans4j.metadata.GrainInterfaceMetadata;
import org.orleans4j.metadata.MethodInfo;

/**
 * What a grain reference calls through: a silo's dispatcher or a cluster client's gateways. Both sides
 * share the one {@link GrainReferences} factory and the one {@link GrainReference}; only where the grain
 * type comes from and where a call goes differ.
 */
public interface GrainCallRuntime {

    /** The method table of {@code grainInterface}; fails clearly when this side cannot call it. */
    GrainInterfaceMetadata interfaceMetadata(Class<?> grainInterface);

    /**
     * The grain type behind {@code grainInterface} if this side knows it now (a silo: from its registry,
     * failing when no class implements it), or {@code null} if it is known only at the first call (a
     * client, from the gateways' manifest).
     */
    @Nullable
    String grainTypeNow(Class<?> grainInterface);

    /** The grain type behind {@code grainInterface}, at the first call of a reference that did not know it. */
    String grainType(Class<?> grainInterface);

    /** Fails if this side can tell that {@code grainId}'s type does not implement {@code grainInterface}. */
    void checkImplements(Class<?> grainInterface, GrainId grainId);

    /** Sends a call made through {@code reference}; returns what the proxy method returns. */
    @Nullable
    Object call(GrainReference reference, MethodInfo method, @Nullable Object @Nullable [] args);
}
