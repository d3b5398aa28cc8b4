/**
 * The silo: its builder, options, lifecycle, dispatcher, turn scheduler, message center, cluster view, statistics and
 * diagnostics.
 */
@NullMarked
package org.orleans4j.runtime;

import org.jspecify.annotations.NullMarked;
