/** The grain persistence SPI: grain state, grain storage providers and an in-memory storage. */
@NullMarked
package org.orleans4j.persistence;

import org.jspecify.annotations.NullMarked;
