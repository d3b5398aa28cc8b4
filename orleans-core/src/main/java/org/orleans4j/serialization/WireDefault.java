package org.orleans4j.serialization;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the enum constant that stands in for constants this version does not have. A newer silo may
 * send a constant added after this build; it is read as the marked constant. Without a marked
 * constant, such a value fails to read with a {@link SerializationException} naming the enum and
 * the constant, so nothing is silently changed.
 *
 * <pre>{@code
 * enum Status { ACTIVE, SUSPENDED, @WireDefault UNKNOWN }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface WireDefault {}
