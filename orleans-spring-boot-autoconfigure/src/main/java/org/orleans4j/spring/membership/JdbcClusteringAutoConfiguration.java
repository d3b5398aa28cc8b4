package org.orleans4j.spring.membership;

import javax.sql.DataSource;
import org.orleans4j.directory.GrainDirectory;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.spring.autoconfigure.ConditionalOnClientMode;
import org.orleans4j.spring.autoconfigure.OrleansProperties;
import org.orleans4j.spring.directory.JdbcGrainDirectory;
import org.orleans4j.spring.jdbc.OrleansJdbcProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The membership table (and, if chosen, the grain directory) in the application's database when
 * clustering is enabled. Scoped by the service id and cluster id, so several clusters can share a
 * database.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(JdbcClient.class)
@ConditionalOnProperty(name = "orleans.clustering.enabled", havingValue = "true")
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnClientMode(false)
@EnableConfigurationProperties({ClusteringProperties.class, OrleansJdbcProperties.class, OrleansProperties.class})
public class JdbcClusteringAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(MembershipTable.class)
    JdbcMembershipTable orleansMembershipTable(
            DataSource dataSource,
            ClusteringProperties properties,
            OrleansJdbcProperties jdbc,
            OrleansProperties orleans) {
        OrleansProperties.Cluster cluster = orleans.cluster();
        JdbcMembershipTable table =
                new JdbcMembershipTable(dataSource, cluster.serviceId(), cluster.clusterId(), jdbc.jdbcTimeout());
        table.initialize(properties.initializeSchema());
        return table;
    }

    @Bean
    @ConditionalOnMissingBean(GrainDirectory.class)
    @ConditionalOnProperty(name = "orleans.clustering.grain-directory", havingValue = "jdbc")
    JdbcGrainDirectory orleansGrainDirectory(
            DataSource dataSource,
            ClusteringProperties properties,
            OrleansJdbcProperties jdbc,
            OrleansProperties orleans) {
        OrleansProperties.Cluster cluster = orleans.cluster();
        JdbcGrainDirectory directory =
                new JdbcGrainDirectory(dataSource, cluster.serviceId(), cluster.clusterId(), jdbc.jdbcTimeout());
        directory.initialize(properties.initializeSchema());
        return directory;
    }
}
