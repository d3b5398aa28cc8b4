/** Small helpers the runtime shares (thread factories, backoff, futures, option checks); not an API. */
@NullMarked
package org.orleans4j.internal;

import org.jspecify.annotations.NullMarked;
