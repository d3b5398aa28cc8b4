package org.orleans4j.grain;

/** No response arrived within the response timeout. The callee may still run the request. */
public class ResponseTimeoutException extends GrainException {

    public ResponseTimeoutException(String message) {
        super(message);
    }

    public ResponseTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
