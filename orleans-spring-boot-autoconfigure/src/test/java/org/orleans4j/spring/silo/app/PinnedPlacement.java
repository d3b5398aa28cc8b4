package org.orleans4j.spring.silo.app;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.orleans4j.placement.Placement;

/** A user's placement annotation for {@link PinnedStrategy}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Placement(PinnedStrategy.class)
public @interface PinnedPlacement {}
