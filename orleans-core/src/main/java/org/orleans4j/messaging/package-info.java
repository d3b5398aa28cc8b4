/** Messaging between silos and from cluster clients to gateways: messages, framing, handshake, connections and TLS. */
@NullMarked
package org.orleans4j.messaging;

import org.jspecify.annotations.NullMarked;
