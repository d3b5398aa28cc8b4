/** The grain directory SPI, which maps each grain to its single activation, with an in-memory implementation and the directory cache's statistics (the distributed directory is in {@code directory.internal}). */
@NullMarked
package org.orleans4j.directory;

import org.jspecify.annotations.NullMarked;
