package org.orleans4j.messaging.internal;

/** A peer sent bytes that break the silo protocol; the connection is closed. */
public class ProtocolException extends RuntimeException {

    public ProtocolException(String message) {
        super(message);
    }
}
