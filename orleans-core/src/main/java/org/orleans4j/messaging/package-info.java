/** Silo-to-silo and client-to-silo messaging: messages, framing, handshake, connections and transport security (TLS). */
@NullMarked
package org.orleans4j.messaging;

import org.jspecify.annotations.NullMarked;
