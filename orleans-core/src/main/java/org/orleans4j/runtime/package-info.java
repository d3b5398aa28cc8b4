/** The silo runtime: the silo and its builder, lifecycle, options, dispatcher, turn scheduler, message center and cluster view. */
@NullMarked
package org.orleans4j.runtime;

import org.jspecify.annotations.NullMarked;
