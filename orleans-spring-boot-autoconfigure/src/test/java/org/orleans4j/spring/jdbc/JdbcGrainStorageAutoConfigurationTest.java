package org.orleans4j.spring.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.persistence.MemoryGrainStorage;
import org.orleans4j.testing.db.H2Databases;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

class JdbcGrainStorageAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcGrainStorageAutoConfiguration.class))
            .withPropertyValues(H2Databases.springDataSourceUrl("autoconf"));

    @Test
    void aDataSourceGivesJdbcStorageAndCreatesTheTable() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(JdbcGrainStorage.class);
            JdbcClient jdbc = JdbcClient.create(context.getBean(javax.sql.DataSource.class));
            assertThat(jdbc.sql("SELECT COUNT(*) FROM orleans_grain_state")
                            .query(Long.class)
                            .single())
                    .isZero();
        });
    }

    @Test
    void customTableName() {
        runner.withPropertyValues("orleans.persistence.jdbc.table-name=my_states")
                .run(context -> {
                    JdbcClient jdbc = JdbcClient.create(context.getBean(javax.sql.DataSource.class));
                    assertThat(jdbc.sql("SELECT COUNT(*) FROM my_states")
                                    .query(Long.class)
                                    .single())
                            .isZero();
                });
    }

    @Test
    void withoutADataSourceThereIsNoJdbcStorage() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JdbcGrainStorageAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(GrainStorage.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStorage {
        @Bean
        GrainStorage myStorage() {
            return new MemoryGrainStorage();
        }
    }

    @Test
    void backsOffWhenTheApplicationDefinesAGrainStorage() {
        runner.withUserConfiguration(OwnStorage.class).run(context -> {
            assertThat(context).hasSingleBean(GrainStorage.class);
            assertThat(context).doesNotHaveBean(JdbcGrainStorage.class);
        });
    }

    @Test
    void aBadTableNameFailsStartupNamingTheProperty() {
        runner.withPropertyValues("orleans.persistence.jdbc.table-name=states; DROP TABLE x")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("orleans.persistence.jdbc.table-name");
                });
    }

    @Test
    void zeroExecutorThreadsFailsStartupNamingTheProperty() {
        runner.withPropertyValues("orleans.persistence.jdbc.executor-threads=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("orleans.persistence.jdbc.executor-threads");
        });
    }

    @Test
    void theJdbcTimeoutIsFiveSecondsUnlessItsPropertySaysOtherwise() {
        runner.run(context -> assertThat(
                        context.getBean(JdbcGrainStorage.class).timeout().value())
                .isEqualTo(java.time.Duration.ofSeconds(5)));
        runner.withPropertyValues("orleans.jdbc.timeout=1500ms").run(context -> {
            JdbcTimeout timeout = context.getBean(JdbcGrainStorage.class).timeout();
            assertThat(timeout.value()).isEqualTo(java.time.Duration.ofMillis(1500));
            assertThat(timeout.queryTimeoutSeconds()).isEqualTo(2);
            assertThat(timeout.networkTimeoutMillis()).isEqualTo(3000);
        });
    }

    @Test
    void aJdbcTimeoutThatIsNotPositiveFailsStartupNamingTheProperty() {
        for (String bad : new String[] {"0s", "-1s"}) {
            runner.withPropertyValues("orleans.jdbc.timeout=" + bad).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("orleans.jdbc.timeout must be a positive duration");
            });
        }
    }
}
