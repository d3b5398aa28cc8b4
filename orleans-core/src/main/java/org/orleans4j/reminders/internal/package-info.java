/**
 * The reminder runtime: the registry grains register through, and the service of each silo that loads
 * the reminders of its part of the ring and delivers their ticks.
 */
@NullMarked
package org.orleans4j.reminders.internal;

import org.jspecify.annotations.NullMarked;
