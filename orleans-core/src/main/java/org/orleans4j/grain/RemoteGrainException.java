package org.orleans4j.grain;

import org.jspecify.annotations.Nullable;

/**
 * A grain on another silo failed with an exception whose type may not be recreated here (it is not
 * on the serialization allow-list). Carries the original type name and message.
 */
public class RemoteGrainException extends GrainException {

    private final String remoteType;

    public RemoteGrainException(String remoteType, @Nullable String message) {
        super(remoteType + (message == null ? "" : ": " + message));
        this.remoteType = remoteType;
    }

    /** The class name of the exception the grain threw. */
    public String remoteType() {
        return remoteType;
    }
}
