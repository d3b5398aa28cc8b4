package org.orleans4j.catalog;

import org.orleans4j.grain.GrainContext;
import org.orleans4j.metadata.GrainClassMetadata;

/**
 * Creates the grain instance of a new activation. The runtime calls it inside
 * {@link org.orleans4j.grain.GrainBase#constructWith}, so {@code GrainBase} subclasses see their
 * context while they are constructed. The Spring starter's activator makes each a prototype bean.
 */
public interface GrainActivator {

    Object createInstance(GrainClassMetadata grainClass, GrainContext context);

    /**
     * Called after deactivation, before the activation leaves the grain directory; lets a container run
     * destruction callbacks. So an instance is released before another silo can create the grain's next
     * one: what it holds (a lock, a file) is free by then.
     */
    default void releaseInstance(GrainClassMetadata grainClass, Object grain) {}
}
