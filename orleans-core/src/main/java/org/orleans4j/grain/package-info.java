/**
 * The grain programming model: grain interfaces and base class, grain ids, the grain factory and context, call
 * attributes, persistent state and the exceptions callers see.
 */
@NullMarked
package org.orleans4j.grain;

import org.jspecify.annotations.NullMarked;
