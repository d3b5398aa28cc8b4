package org.orleans4j.grain;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the grain type of an implementation class. The name is part of every {@link GrainId} and
 * of stored state, so it must stay stable when the class is renamed. Without it the type name is
 * the simple class name, lower-case, with a trailing {@code Grain} or {@code GrainImpl} removed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface GrainTypeName {
    String value();
}
