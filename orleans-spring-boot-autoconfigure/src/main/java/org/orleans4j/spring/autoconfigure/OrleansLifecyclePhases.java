package org.orleans4j.spring.autoconfigure;

import org.springframework.context.SmartLifecycle;

/**
 * The Spring lifecycle phases of Orleans' beans, placed around the web server's
 * ({@code DEFAULT_PHASE - 2048} for starting, {@code DEFAULT_PHASE - 1024} for its graceful shutdown).
 */
public final class OrleansLifecyclePhases {

    /**
     * The silo or the cluster client: below the web server, so it runs before requests arrive and
     * stops only after the web server drained them.
     */
    public static final int RUNTIME = SmartLifecycle.DEFAULT_PHASE - 4096;

    /** Above the web server's graceful shutdown: the readiness drain stops first. */
    public static final int READINESS_DRAIN = SmartLifecycle.DEFAULT_PHASE - 512;

    private OrleansLifecyclePhases() {}
}
