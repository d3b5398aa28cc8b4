package org.orleans4j.spring.boot;

import java.time.Duration;
import org.orleans4j.runtime.Silo;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the silo with the application context and stops it (deactivating every grain) when the
 * context closes. Its phase puts it before the web server on start and after it on stop, so no web
 * request reaches a silo that is not running.
 */
public class OrleansSiloLifecycle implements SmartLifecycle {

    /** Below the web server's phases ({@code DEFAULT_PHASE - 2048} and {@code - 1024}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final Silo silo;
    private final Duration shutdownTimeout;
    private volatile boolean running;

    public OrleansSiloLifecycle(Silo silo, Duration shutdownTimeout) {
        this.silo = silo;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void start() {
        silo.start();
        running = true;
    }

    @Override
    public void stop() {
        silo.stop(shutdownTimeout);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
