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

    /** Called after deactivation; lets a container run destruction callbacks. */
    default void releaseInstance(GrainClassMetadata grainClass, Object grain) {}
}
