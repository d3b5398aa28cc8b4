/** Grain type metadata: grain classes, grain interfaces and their methods, and the grain type registry. */
@NullMarked
package org.orleans4j.metadata;

import org.jspecify.annotations.NullMarked;
