package org.orleans4j.placement;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Meta-annotation for placement annotations: {@code @HashBasedPlacement} is itself annotated
 * {@code @Placement(HashBasedPlacementStrategy.class)}. The strategy is built with a public
 * constructor taking the placement annotation, if it has one, else with its no-argument constructor.
 * <p>
 * A custom strategy needs three things: the strategy class, an annotation meta-annotated with this,
 * and a {@link PlacementDirector} registered for the strategy class.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.ANNOTATION_TYPE)
public @interface Placement {
    Class<? extends PlacementStrategy> value();
}
