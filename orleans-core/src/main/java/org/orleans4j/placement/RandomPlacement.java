package org.orleans4j.placement;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Places the grain class's new activations with {@link RandomPlacementStrategy}. */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Placement(RandomPlacementStrategy.class)
public @interface RandomPlacement {}
