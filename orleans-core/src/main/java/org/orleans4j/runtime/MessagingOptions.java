package org.orleans4j.runtime;

import java.time.Duration;

/** @param responseTimeout how long a caller waits for a response (30 s) */
public record MessagingOptions(Duration responseTimeout) {

    public static final MessagingOptions DEFAULT = new MessagingOptions(Duration.ofSeconds(30));

    public MessagingOptions {
        OptionChecks.requirePositive(responseTimeout, "responseTimeout");
    }
}
