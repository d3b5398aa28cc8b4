package org.orleans4j.spring.reminders;

import javax.sql.DataSource;
import org.orleans4j.reminders.InMemoryReminderTable;
import org.orleans4j.reminders.ReminderTable;
import org.orleans4j.spring.autoconfigure.ConditionalOnClientMode;
import org.orleans4j.spring.autoconfigure.OrleansProperties;
import org.orleans4j.spring.jdbc.OrleansJdbcProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The reminder table of a silo: in the application's database when it has one DataSource
 * ({@code orleans.reminders.table=jdbc}, the default), or in memory ({@code memory}). The silo picks the
 * {@link ReminderTable} bean up; an application may define its own.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClientMode(false)
@EnableConfigurationProperties({ReminderProperties.class, OrleansProperties.class})
public class RemindersAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JdbcClient.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    @ConditionalOnProperty(name = "orleans.reminders.table", havingValue = "jdbc", matchIfMissing = true)
    @EnableConfigurationProperties(OrleansJdbcProperties.class)
    static class Jdbc {

        @Bean
        @ConditionalOnMissingBean(ReminderTable.class)
        JdbcReminderTable orleansReminderTable(
                DataSource dataSource,
                ReminderProperties properties,
                OrleansJdbcProperties jdbc,
                OrleansProperties orleans) {
            JdbcReminderTable table =
                    new JdbcReminderTable(dataSource, orleans.cluster().serviceId(), jdbc.jdbcTimeout());
            table.initialize(properties.initializeSchema());
            return table;
        }
    }

    @Bean
    @ConditionalOnMissingBean(ReminderTable.class)
    @ConditionalOnProperty(name = "orleans.reminders.table", havingValue = "memory")
    InMemoryReminderTable orleansReminderTable() {
        return new InMemoryReminderTable();
    }
}
