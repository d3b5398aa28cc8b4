/**
 * A silo's activations: the catalog and activation table, each activation's request queue and turns, grain activators,
 * persistent-state binding and the collection of idle activations.
 */
@NullMarked
package org.orleans4j.catalog;

import org.jspecify.annotations.NullMarked;
