package org.orleans4j.grain;

/** Base class of the runtime's own failures, as seen by callers. */
public class GrainException extends RuntimeException {

    public GrainException(String message) {
        super(message);
    }

    public GrainException(String message, Throwable cause) {
        super(message, cause);
    }
}
