package org.orleans4j.client;

import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainException;

/**
 * The cluster client cannot do what was asked: it could not connect to any gateway (the message
 * lists the addresses tried and why each failed, e.g. a gateway of another cluster), it is not
 * connected yet, or it was closed. Not transient: calls that fail with it are not retried.
 */
public class ClusterClientException extends GrainException {

    public ClusterClientException(String message) {
        super(message);
    }

    public ClusterClientException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
