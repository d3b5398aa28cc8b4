/** Activation SPIs and options: grain activators, call observers, collection options and activation statistics (the catalog itself is in {@code catalog.internal}). */
@NullMarked
package org.orleans4j.catalog;

import org.jspecify.annotations.NullMarked;
