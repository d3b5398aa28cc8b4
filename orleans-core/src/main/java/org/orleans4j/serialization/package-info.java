/**
 * Wire serialization of grain call arguments, results and failures (Kryo, with an allow-list of types and bounds on
 * what is read).
 */
@NullMarked
package org.orleans4j.serialization;

import org.jspecify.annotations.NullMarked;
