/**
 * Grain placement: placement strategies, the directors that choose a silo for a new activation, and the placement
 * service.
 */
@NullMarked
package org.orleans4j.placement;

import org.jspecify.annotations.NullMarked;
