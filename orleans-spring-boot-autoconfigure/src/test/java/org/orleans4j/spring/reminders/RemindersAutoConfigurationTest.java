package org.orleans4j.spring.reminders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.orleans4j.reminders.InMemoryReminderTable;
import org.orleans4j.reminders.ReminderTable;
import org.orleans4j.testing.db.H2Databases;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

class RemindersAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(DataSourceAutoConfiguration.class, RemindersAutoConfiguration.class))
            .withPropertyValues(H2Databases.springDataSourceUrl("reminders-autoconf"));

    @Test
    void aDataSourceGivesAJdbcReminderTableAndCreatesIt() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(JdbcReminderTable.class);
            JdbcClient jdbc = JdbcClient.create(context.getBean(javax.sql.DataSource.class));
            assertThat(jdbc.sql("SELECT COUNT(*) FROM orleans_reminders")
                            .query(Long.class)
                            .single())
                    .isZero();
            assertThat(context.getBean(ReminderProperties.class)
                            .reminderOptions()
                            .minimumPeriod())
                    .isEqualTo(Duration.ofMinutes(1));
        });
    }

    @Test
    void memoryKeepsThemInThisProcess() {
        runner.withPropertyValues("orleans.reminders.table=memory")
                .run(context ->
                        assertThat(context).getBean(ReminderTable.class).isInstanceOf(InMemoryReminderTable.class));
    }

    @Test
    void noneAndNoDataSourceMeanNoTable() {
        runner.withPropertyValues("orleans.reminders.table=none")
                .run(context -> assertThat(context).doesNotHaveBean(ReminderTable.class));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RemindersAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(ReminderTable.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTable {
        @Bean
        ReminderTable myReminders() {
            return new InMemoryReminderTable();
        }
    }

    @Test
    void backsOffWhenTheApplicationDefinesAReminderTable() {
        runner.withUserConfiguration(OwnTable.class).run(context -> {
            assertThat(context).hasSingleBean(ReminderTable.class);
            assertThat(context).doesNotHaveBean(JdbcReminderTable.class);
        });
    }

    @Test
    void aBadPeriodFailsStartupNamingTheProperty() {
        runner.withPropertyValues("orleans.reminders.minimum-period=0s")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("orleans.reminders.minimum-period"));
        runner.withPropertyValues("orleans.reminders.table=sometimes")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("orleans.reminders.table"));
    }
}
