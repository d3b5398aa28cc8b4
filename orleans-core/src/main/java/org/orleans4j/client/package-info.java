/** The external cluster client: gateway list and connections, client-side grain calls and serialization. */
@NullMarked
package org.orleans4j.client;

import org.jspecify.annotations.NullMarked;
