/** Grain calls from the caller's side: grain references, the pending-call table, call retry policy and attempts. */
@NullMarked
package org.orleans4j.calls;

import org.jspecify.annotations.NullMarked;
