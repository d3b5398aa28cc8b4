package org.orleans4j.grain;

/**
 * A call to an observer whose client is gone: it disconnected from the gateway its observer reference
 * names, or deleted the observer. The call did not run; it is not retried, since the observer will not
 * come back (a client that reconnects makes new observer references and subscribes again).
 */
public class ObserverUnavailableException extends GrainException {

    public ObserverUnavailableException(String message) {
        super(message);
    }
}
