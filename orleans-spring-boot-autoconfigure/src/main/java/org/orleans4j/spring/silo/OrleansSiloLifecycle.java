package org.orleans4j.spring.silo;

import java.time.Duration;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.autoconfigure.OrleansLifecyclePhases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the silo with the application context and stops it (deactivating every grain) when the
 * context closes. Its phase puts it before the web server on start and after it on stop, so no web
 * request reaches a silo that is not running.
 * <p>
 * On stop (SIGTERM) readiness turns {@link ReadinessState#REFUSING_TRAFFIC} before the silo starts
 * shutting down. A web application's context already publishes that when it closes; this makes it
 * hold for applications without a web server too, so a readiness probe fails before the silo stops
 * taking calls.
 */
public class OrleansSiloLifecycle implements SmartLifecycle {

    /** Below the web server's phases: see {@link OrleansLifecyclePhases#RUNTIME}. */
    public static final int PHASE = OrleansLifecyclePhases.RUNTIME;

    private static final Logger log = LoggerFactory.getLogger(OrleansSiloLifecycle.class);

    private final Silo silo;
    private final Duration shutdownTimeout;
    private final ApplicationEventPublisher publisher;
    private volatile boolean running;

    public OrleansSiloLifecycle(Silo silo, Duration shutdownTimeout, ApplicationEventPublisher publisher) {
        this.silo = silo;
        this.shutdownTimeout = shutdownTimeout;
        this.publisher = publisher;
    }

    @Override
    public void start() {
        silo.start();
        running = true;
    }

    @Override
    public void stop() {
        if (publisher != null) {
            AvailabilityChangeEvent.publish(publisher, this, ReadinessState.REFUSING_TRAFFIC);
        }
        log.info(
                "Readiness is {}; stopping silo {} (timeout {})",
                ReadinessState.REFUSING_TRAFFIC,
                silo.address(),
                shutdownTimeout);
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
