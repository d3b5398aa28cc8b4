package org.orleans4j.placement;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Makes the grain class a stateless worker ({@link StatelessWorkerPlacementStrategy}). */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Placement(StatelessWorkerPlacementStrategy.class)
public @interface StatelessWorker {
    /** Activations per silo for one grain id; -1 means the number of cores. */
    int maxLocalWorkers() default -1;
}
