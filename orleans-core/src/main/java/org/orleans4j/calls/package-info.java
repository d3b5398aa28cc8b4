/** Grain calls as users configure them: the retry options and the call filters (the machinery is in {@code calls.internal}). */
@NullMarked
package org.orleans4j.calls;

import org.jspecify.annotations.NullMarked;
