package org.orleans4j.spring.boot;

import java.time.Duration;

/** Validation of bound properties; each message names the property so startup failures point at it. */
final class PropertyChecks {

    private PropertyChecks() {
    }

    static void requireText(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(property + " must not be empty");
        }
    }

    static void requirePort(int port, String property) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(property + " must be between 0 and 65535, was " + port);
        }
    }

    static void requirePositive(Duration value, String property) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(property + " must be a positive duration, was " + value);
        }
    }
}
