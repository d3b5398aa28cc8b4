package org.orleans4j.serialization;

import org.orleans4j.grain.GrainException;

/** A value could not be written to or read from the wire: a type is not allowed, or the bytes are bad. */
public class SerializationException extends GrainException {

    public SerializationException(String message) {
        super(message);
    }

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
