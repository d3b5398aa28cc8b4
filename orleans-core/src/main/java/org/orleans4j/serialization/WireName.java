package org.orleans4j.serialization;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The tag a field, record component or enum constant goes by on the wire, instead of its Java name.
 * Values cross between silos of different versions matched by tag, so a field renamed in a new version
 * keeps its old name here and old and new silos still read each other's values:
 *
 * <pre>{@code
 * // version 1
 * record Order(String customer, int quantity) {}
 * // version 2: the field was renamed
 * record Order(@WireName("customer") String client, int quantity) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface WireName {

    /** The tag on the wire: the name this field or constant had when it was first sent. */
    String value();
}
