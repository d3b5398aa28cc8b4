package org.orleans4j.messaging.internal;

import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.SiloUnavailableException;

/**
 * A connection failed its TLS handshake: the peer's certificate is not trusted, the peer refused
 * this side's, or one side does not use TLS. The message names the peer and the likely fix. As a
 * silo that cannot be reached, it is transient for the calls that needed the connection.
 */
public class TlsHandshakeException extends SiloUnavailableException {

    public TlsHandshakeException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
