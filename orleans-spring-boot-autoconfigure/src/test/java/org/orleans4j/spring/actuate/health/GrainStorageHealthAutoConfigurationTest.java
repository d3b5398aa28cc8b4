package org.orleans4j.spring.actuate.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.orleans4j.spring.jdbc.DatabaseReachability;
import org.orleans4j.spring.jdbc.JdbcGrainStorageAutoConfiguration;
import org.orleans4j.spring.jdbc.JdbcTimeout;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.orleans4j.spring.silo.app.GrainTestApplication;
import org.orleans4j.testing.db.H2Databases;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The {@code orleansStorage} health indicator: when it exists and what it reports. With the real
 * database stopping to answer, see {@code FrozenDatabaseClusterTest}.
 */
class GrainStorageHealthAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    JdbcGrainStorageAutoConfiguration.class,
                    OrleansAutoConfiguration.class,
                    GrainStorageHealthAutoConfiguration.class))
            .withUserConfiguration(GrainTestApplication.class, OrleansHealthAutoConfigurationTest.Directors.class)
            .withPropertyValues(
                    H2Databases.springDataSourceUrl("storage-health"),
                    "orleans.cluster.cluster-id=storage-health",
                    "orleans.endpoints.silo-port=0",
                    "orleans.endpoints.gateway-port=0",
                    "orleans.endpoints.advertised-address=127.0.0.1",
                    "orleans.endpoints.listen-address=127.0.0.1");

    @Test
    void withJdbcStorageTheDatabaseIsCheckedAndReachable() {
        runner.withPropertyValues("orleans.persistence.jdbc.readiness-check-period=200ms")
                .run(context -> {
                    assertThat(context)
                            .hasNotFailed()
                            .hasSingleBean(DatabaseReachability.class)
                            .hasBean("orleansStorageHealthIndicator");
                    GrainStorageHealthIndicator indicator = context.getBean(GrainStorageHealthIndicator.class);
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> indicator.health().getDetails().containsKey("checkedAt"));
                    Health health = indicator.health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails())
                            .containsEntry("database", "reachable")
                            .containsEntry("checkPeriod", "PT0.2S")
                            .doesNotContainKey("error");
                });
    }

    @Test
    void aDatabaseThatRefusesIsOutOfServiceWithTheReasonAndUpAgainFromTheFirstGoodCheck() throws Exception {
        SwitchableDataSource dataSource = new SwitchableDataSource(H2Databases.url("storage-refusing"));
        DatabaseReachability database =
                new DatabaseReachability(dataSource, JdbcTimeout.DEFAULT, Duration.ofMillis(100));
        GrainStorageHealthIndicator indicator = new GrainStorageHealthIndicator(database);
        database.start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> database.reading().checkedAt() != null);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

            dataSource.refuse = true;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> indicator.health().getStatus().equals(Status.OUT_OF_SERVICE));
            assertThat(indicator.health().getDetails())
                    .containsEntry("database", "unreachable")
                    .hasEntrySatisfying(
                            "error", error -> assertThat((String) error).contains("connection refused"));

            dataSource.refuse = false;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> indicator.health().getStatus().equals(Status.UP));
            assertThat(indicator.health().getDetails())
                    .containsEntry("database", "reachable")
                    .doesNotContainKey("error");
        } finally {
            database.stop();
        }
    }

    /** An H2 database whose connections are refused while told to, as a database that went away. */
    static final class SwitchableDataSource extends org.springframework.jdbc.datasource.DriverManagerDataSource {
        volatile boolean refuse;

        SwitchableDataSource(String url) {
            super(url);
        }

        @Override
        public java.sql.Connection getConnection() throws java.sql.SQLException {
            if (refuse) {
                throw new java.sql.SQLException("connection refused (test)");
            }
            return super.getConnection();
        }
    }

    @Test
    void theCheckCanBeTurnedOffAndTheIndicatorThenStaysUp() {
        runner.withPropertyValues("orleans.persistence.jdbc.readiness-check=false")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(DatabaseReachability.class);
                    Health health =
                            context.getBean(GrainStorageHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat((String) health.getDetails().get("database"))
                            .contains("orleans.persistence.jdbc.readiness-check=false");
                });
    }

    @Test
    void theIndicatorCanBeDisabled() {
        runner.withPropertyValues("management.health.orleans-storage.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(GrainStorageHealthIndicator.class));
    }
}
