package org.orleans4j.spring.actuate.health;

import org.orleans4j.spring.jdbc.DatabaseReachability;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether the silo's grain storage can be reached, as the {@code orleansStorage} indicator: UP while
 * the JDBC storage's database answers its checks, OUT_OF_SERVICE (with the reason) while it does not.
 * The readiness group includes it, so a load balancer stops sending work to an instance that cannot
 * store state, while its active grains keep serving reads; liveness does not, so a database outage
 * never restarts a pod. UP without a check when the storage is not JDBC or the check is off
 * ({@value DatabaseReachability#PROPERTY}).
 */
public class GrainStorageHealthIndicator implements HealthIndicator {

    private final DatabaseReachability database;

    /** @param database the check to report; {@code null} when there is none */
    public GrainStorageHealthIndicator(DatabaseReachability database) {
        this.database = database;
    }

    @Override
    public Health health() {
        if (database == null) {
            return Health.up()
                    .withDetail(
                            "database",
                            "not checked (no JDBC grain storage, or " + DatabaseReachability.PROPERTY + "=false)")
                    .build();
        }
        DatabaseReachability.Reading reading = database.reading();
        Health.Builder health = reading.reachable() ? Health.up() : Health.outOfService();
        health.withDetail("database", reading.reachable() ? "reachable" : "unreachable")
                .withDetail("since", reading.since().toString())
                .withDetail("checkPeriod", database.period().toString());
        if (reading.checkedAt() != null) {
            health.withDetail("checkedAt", reading.checkedAt().toString());
        }
        if (reading.error() != null) {
            health.withDetail("error", reading.error());
        }
        return health.build();
    }
}
