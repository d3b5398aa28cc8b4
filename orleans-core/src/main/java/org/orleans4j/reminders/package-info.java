/**
 * The durable reminder SPI: the reminder table every silo of a service shares, its rows, an in-memory
 * table for tests and single-process use, and the reminder options.
 */
@NullMarked
package org.orleans4j.reminders;

import org.jspecify.annotations.NullMarked;
