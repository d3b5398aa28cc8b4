/** Messaging options and transport security (TLS) for silos and cluster clients, and the refusals they count (connections and messages are in {@code messaging.internal}). */
@NullMarked
package org.orleans4j.messaging;

import org.jspecify.annotations.NullMarked;
