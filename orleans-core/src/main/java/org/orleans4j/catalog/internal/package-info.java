/**
 * The catalog of a silo's activations, their turns, requests and persistent state bindings. Not API: may change in any release.
 */
@NullMarked
package org.orleans4j.catalog.internal;

import org.jspecify.annotations.NullMarked;
