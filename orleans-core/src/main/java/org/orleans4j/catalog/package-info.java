/** The silo's activation catalog: activations, their table, activation and collection of idle grains, request queues and persistent-state binding. */
@NullMarked
package org.orleans4j.catalog;

import org.jspecify.annotations.NullMarked;
