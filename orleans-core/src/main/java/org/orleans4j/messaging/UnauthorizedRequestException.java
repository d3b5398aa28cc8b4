package org.orleans4j.messaging;

import org.orleans4j.grain.GrainException;

/**
 * A silo refused a system request its sender may not make: a directory entry naming another silo, the
 * removal of silos that are not Dead, statistics from a silo that is not an Active member. The request
 * is answered with this failure (or, one-way, dropped) and counted; the connection stays open.
 */
public class UnauthorizedRequestException extends GrainException {

    public UnauthorizedRequestException(String message) {
        super(message);
    }
}
