package org.orleans4j.grain;

/** The target silo is dead or unreachable. Transient: a retry places the grain again. */
public class SiloUnavailableException extends GrainException {

    public SiloUnavailableException(String message) {
        super(message);
    }

    public SiloUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
