/** Small internal helpers shared by the runtime (threads, backoff, futures, option checks); not an API. */
@NullMarked
package org.orleans4j.internal;

import org.jspecify.annotations.NullMarked;
