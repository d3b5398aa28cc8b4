package org.orleans4j.grain;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a grain interface method: running the call twice has the same effect as running it once, so
 * the runtime may send it again when a failure leaves open whether it ran (its silo died or its
 * connection broke after the call was sent). Setting a value, storing a definition or deleting an
 * item are idempotent; adding to a balance or appending to a list are not.
 * <p>
 * Without this annotation (or {@link ReadOnly}, which implies it) such a call is not repeated: the
 * caller gets a {@link CallOutcomeUnknownException}. Calls that provably did not run are retried
 * either way, within the call's response timeout. The annotation changes nothing else: the method
 * is scheduled like any other request.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Idempotent {}
