/**
 * The grain directory, which maps each grain to its single activation: in memory, cached over a shared store, or
 * distributed over the silos (a hash ring).
 */
@NullMarked
package org.orleans4j.directory;

import org.jspecify.annotations.NullMarked;
