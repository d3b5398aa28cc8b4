package org.orleans4j.grain;

/** The grain could not be activated: its constructor or onActivate failed or timed out, or its state could not be read. The cause says which. */
public class ActivationFailedException extends GrainException {

    public ActivationFailedException(String message) {
        super(message);
    }

    public ActivationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
