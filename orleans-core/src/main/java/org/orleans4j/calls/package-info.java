/**
 * Grain calls from the caller's side: grain references (the proxies), the table of calls waiting for a response, and
 * the retry policy for calls that failed in transit.
 */
@NullMarked
package org.orleans4j.calls;

import org.jspecify.annotations.NullMarked;
