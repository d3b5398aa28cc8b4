/**
 * Grain references, the call runtime they call through, pending calls, the retry policy and system target interfaces. Not API: may change in any release.
 */
@NullMarked
package org.orleans4j.calls.internal;

import org.jspecify.annotations.NullMarked;
