package org.orleans4j.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Validation shared by option records here and by the starter's properties; each message names the
 * option (or property) so a user can find it.
 */
public final class OptionChecks {

    private OptionChecks() {}

    public static void requireText(@Nullable String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    public static void requirePort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be between 0 and 65535, was " + port);
        }
    }

    public static void requirePositive(@Nullable Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }
}
