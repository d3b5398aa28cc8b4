package org.orleans4j.runtime;

import java.time.Duration;

/**
 * Grain call and silo-to-silo connection options.
 *
 * @param responseTimeout how long a caller waits for a response (30 s)
 * @param maxFrameBytes largest frame a connection accepts; a bigger one closes that connection (16 MiB)
 * @param handshakeTimeout how long a new connection may take to present its handshake (5 s)
 */
public record MessagingOptions(Duration responseTimeout, int maxFrameBytes, Duration handshakeTimeout) {

    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    public static final MessagingOptions DEFAULT = new MessagingOptions(Duration.ofSeconds(30));

    public MessagingOptions {
        OptionChecks.requirePositive(responseTimeout, "responseTimeout");
        OptionChecks.requirePositive(handshakeTimeout, "handshakeTimeout");
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 1024, was " + maxFrameBytes);
        }
    }

    public MessagingOptions(Duration responseTimeout) {
        this(responseTimeout, DEFAULT_MAX_FRAME_BYTES, Duration.ofSeconds(5));
    }
}
