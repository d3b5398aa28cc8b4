/** Serialization failures as callers see them (the wire serializer is in {@code serialization.internal}). */
@NullMarked
package org.orleans4j.serialization;

import org.jspecify.annotations.NullMarked;
