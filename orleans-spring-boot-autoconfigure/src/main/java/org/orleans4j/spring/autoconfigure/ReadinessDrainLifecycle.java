package org.orleans4j.spring.autoconfigure;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * The first thing to stop: readiness turns REFUSING_TRAFFIC, then the application keeps serving for
 * {@code orleans.shutdown.readiness-delay} while load balancers notice, and only then does the web
 * server drain and the silo leave. Without the delay a pod that got SIGTERM may still be sent
 * requests after its web server stopped accepting them.
 */
public class ReadinessDrainLifecycle implements SmartLifecycle {

    /** Above the web server's graceful shutdown: stops before it. */
    public static final int PHASE = OrleansLifecyclePhases.READINESS_DRAIN;

    private static final Logger log = LoggerFactory.getLogger(ReadinessDrainLifecycle.class);

    private final ApplicationEventPublisher publisher;
    private final Duration delay;
    private volatile boolean running;

    public ReadinessDrainLifecycle(ApplicationEventPublisher publisher, Duration delay) {
        this.publisher = publisher;
        this.delay = delay;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        AvailabilityChangeEvent.publish(publisher, this, ReadinessState.REFUSING_TRAFFIC);
        if (!delay.isZero()) {
            log.info(
                    "Readiness is {}; serving on for {} (orleans.shutdown.readiness-delay) so that load balancers "
                            + "stop routing here before the web server and the silo stop",
                    ReadinessState.REFUSING_TRAFFIC,
                    delay);
            try {
                // The context's shutdown thread waits here on purpose: nothing else is to stop yet.
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
