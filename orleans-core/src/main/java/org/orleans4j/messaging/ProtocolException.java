package org.orleans4j.messaging;

/** A peer sent bytes that break the silo protocol; the connection is closed. */
public class ProtocolException extends RuntimeException {

    public ProtocolException(String message) {
        super(message);
    }
}
