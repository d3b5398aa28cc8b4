package org.orleans4j.grain;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The caller does not wait for this method: no response is sent, and the returned future (if any)
 * is complete as soon as the message is handed to the runtime. Failures are logged by the callee.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OneWay {}
