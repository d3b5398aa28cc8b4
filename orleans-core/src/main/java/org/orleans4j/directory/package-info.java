/** The grain directory: where each grain is activated, as a local, cached or distributed (ring-partitioned) directory. */
@NullMarked
package org.orleans4j.directory;

import org.jspecify.annotations.NullMarked;
