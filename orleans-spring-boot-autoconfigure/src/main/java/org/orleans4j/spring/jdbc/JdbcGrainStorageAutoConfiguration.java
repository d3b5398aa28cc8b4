package org.orleans4j.spring.jdbc;

import javax.sql.DataSource;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.spring.autoconfigure.ConditionalOnClientMode;
import org.orleans4j.spring.autoconfigure.OrleansProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Grain state in the application's database when it has one DataSource, and the check of that database
 * that readiness follows ({@link DatabaseReachability}).
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass({JdbcClient.class, JsonMapper.class})
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnClientMode(false)
@EnableConfigurationProperties({JdbcGrainStorageProperties.class, OrleansJdbcProperties.class, OrleansProperties.class})
public class JdbcGrainStorageAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(GrainStorage.class)
    JdbcGrainStorage grainStorage(
            DataSource dataSource,
            JdbcGrainStorageProperties properties,
            OrleansJdbcProperties jdbc,
            ObjectProvider<JsonMapper> jsonMapper,
            ObjectProvider<GrainFactory> grainFactory,
            OrleansProperties orleans) {
        if (properties.initializeSchema()) {
            GrainStateSchema.create(dataSource, properties.tableName(), jdbc.jdbcTimeout());
        }
        // Stored state is scoped by service id, like Orleans' own storage; the pod environment's wins.
        String serviceId = orleans.cluster().serviceId();
        // Grain references in state are stored as grain ids, read back as references of this silo.
        JsonMapper mapper = jsonMapper
                .getIfAvailable(() -> JsonMapper.builder().build())
                .rebuild()
                .addModule(new GrainReferenceJsonModule(grainFactory::getObject))
                // Rolling upgrades: a silo of an older build reads state a newer one wrote with more fields.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        return new JdbcGrainStorage(
                dataSource,
                serviceId,
                properties.tableName(),
                new JacksonGrainStateSerializer(mapper),
                properties.executorThreads(),
                jdbc.jdbcTimeout());
    }

    /** The check behind the {@code orleansStorage} health indicator, for the JDBC storage only. */
    @Bean
    @ConditionalOnBean(JdbcGrainStorage.class)
    @ConditionalOnProperty(name = DatabaseReachability.PROPERTY, havingValue = "true", matchIfMissing = true)
    DatabaseReachability databaseReachability(
            DataSource dataSource, JdbcGrainStorageProperties properties, OrleansJdbcProperties jdbc) {
        return new DatabaseReachability(dataSource, jdbc.jdbcTimeout(), properties.readinessCheckPeriod());
    }
}
