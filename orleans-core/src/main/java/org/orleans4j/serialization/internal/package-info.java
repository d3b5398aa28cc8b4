/**
 * The wire serializer: the Kryo allow-list, length guards and read budgets. Not API: may change in any release.
 */
@NullMarked
package org.orleans4j.serialization.internal;

import org.jspecify.annotations.NullMarked;
