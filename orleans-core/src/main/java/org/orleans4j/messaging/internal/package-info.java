/**
 * Silo and client connections: frames, the handshake, messages, connection limits and TLS failures. Not API: may change in any release.
 */
@NullMarked
package org.orleans4j.messaging.internal;

import org.jspecify.annotations.NullMarked;
