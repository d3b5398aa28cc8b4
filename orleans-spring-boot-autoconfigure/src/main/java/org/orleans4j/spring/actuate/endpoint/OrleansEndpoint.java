package org.orleans4j.spring.actuate.endpoint;

import java.time.Clock;
import org.orleans4j.runtime.Silo;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code orleans} Actuator endpoint (web and JMX), read-only: a summary at the root, and the
 * sections {@code membership}, {@code activations} and {@code placement}. Everything but the
 * membership section reads counts the silo already keeps, so a scrape costs no scan and no call
 * to other silos.
 */
@Endpoint(id = "orleans")
public class OrleansEndpoint {

    private final Silo silo;
    private final MembershipReader membership;
    private final Clock clock;

    public OrleansEndpoint(Silo silo, MembershipReader membership, Clock clock) {
        this.silo = silo;
        this.membership = membership;
        this.clock = clock;
    }

    /** {@code GET /actuator/orleans}. */
    @ReadOperation
    public OrleansSummary summary() {
        return OrleansSummary.of(silo);
    }

    /**
     * {@code GET /actuator/orleans/{section}}; an unknown section gives {@code null}, which Actuator
     * answers with 404.
     */
    @ReadOperation
    public Object section(@Selector String section) {
        return switch (section) {
            case "membership" -> membership();
            case "activations" -> activations();
            case "placement" -> placement();
            default -> null;
        };
    }

    public MembershipReport membership() {
        return membership.read();
    }

    public ActivationsReport activations() {
        return ActivationsReport.of(silo, clock.instant());
    }

    public PlacementReport placement() {
        return PlacementReport.of(silo);
    }
}
