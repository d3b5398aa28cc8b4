package org.orleans4j.grain;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the silo's collection age for one grain class: its idle activations are collected after
 * this long. {@code alwaysActive} keeps them until the silo stops.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CollectionAgeLimit {
    long seconds() default 0;

    long minutes() default 0;

    long hours() default 0;

    boolean alwaysActive() default false;
}
