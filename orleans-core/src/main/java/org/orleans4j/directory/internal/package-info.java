/**
 * The distributed grain directory: its ring, views, partition, hand-over and the endpoint other silos call. Not API: may change in any release.
 */
@NullMarked
package org.orleans4j.directory.internal;

import org.jspecify.annotations.NullMarked;
