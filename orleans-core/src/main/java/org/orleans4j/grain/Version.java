package org.orleans4j.grain;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The version of a grain interface; an interface without it is version 0. Raise it when a new build
 * adds methods that callers of the new build will use. During a rolling upgrade a call made through
 * version {@code n} runs only on an activation whose silo has version {@code n} or later of the
 * interface (versions are backward compatible: a later one still serves every method of an earlier
 * one), and a new activation is placed only on such a silo. An activation of an older version that
 * receives such a call is deactivated, and the call runs on a compatible silo instead.
 *
 * <pre>{@code
 * @Version(2)
 * public interface CartGrain extends GrainWithStringKey { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Version {

    /** The interface's version, 0 or more. */
    int value();
}
