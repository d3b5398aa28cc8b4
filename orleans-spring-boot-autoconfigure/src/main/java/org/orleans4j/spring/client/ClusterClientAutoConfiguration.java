package org.orleans4j.spring.client;

import java.util.List;
import javax.sql.DataSource;
import org.orleans4j.calls.OutgoingGrainCallFilter;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.client.ClusterClientBuilder;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.spring.autoconfigure.ConditionalOnClientMode;
import org.orleans4j.spring.autoconfigure.OrleansProperties;
import org.orleans4j.spring.autoconfigure.ReadinessDrainLifecycle;
import org.orleans4j.spring.jdbc.OrleansJdbcProperties;
import org.orleans4j.spring.membership.JdbcMembershipTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Client mode ({@code orleans.client.enabled=true}): instead of a silo, the application has a
 * {@link ClusterClient} that connects to the cluster's gateways when the context starts (before
 * the web server) and closes when it stops, and the {@link GrainFactory} bean is the client's.
 * Gateways come from {@code orleans.client.gateways}, else from the membership table in the
 * application's DataSource. The grain interfaces of the application's packages are registered
 * with the client; grain classes are not beans here, since the silos run them.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClientMode
@EnableConfigurationProperties({ClusterClientProperties.class, OrleansProperties.class})
public class ClusterClientAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClusterClientAutoConfiguration.class);

    @Bean
    static ClientGrainInterfaceRegistrar orleansClientGrainInterfaceRegistrar() {
        return new ClientGrainInterfaceRegistrar();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ClusterClient orleansClusterClient(
            ClusterClientProperties client,
            OrleansProperties orleans,
            ObjectProvider<ClientGrainInterfaces> grainInterfaces,
            ObjectProvider<MembershipTable> membershipTable,
            ObjectProvider<ClusterClientBuilderCustomizer> customizers,
            ObjectProvider<OutgoingGrainCallFilter> outgoingFilters,
            ConfigurableListableBeanFactory beanFactory) {
        ClusterOptions cluster = clusterOptions(client, orleans);
        ClusterClientBuilder builder = ClusterClient.builder()
                .clusterOptions(cluster)
                .gatewayRefreshPeriod(client.gatewayRefreshPeriod())
                .messagingOptions(orleans.messaging().messagingOptions())
                .callRetryOptions(orleans.messaging().callRetryOptions());
        if (!client.gateways().isEmpty()) {
            builder.staticGateways(client.gateways());
        } else {
            MembershipTable table = membershipTable.getIfAvailable();
            if (table == null) {
                throw new IllegalStateException("orleans.client.gateways is empty, so the cluster client reads the "
                        + "gateways from the membership table in the application's database, but there is no single "
                        + "DataSource (spring.datasource.url) nor a MembershipTable bean: list the gateways "
                        + "(orleans.client.gateways=host:port,...) or configure the cluster's database");
            }
            builder.membershipTable(table);
        }
        List<Class<?>> interfaces = grainInterfaces
                .getIfAvailable(() -> new ClientGrainInterfaces(List.of()))
                .interfaces();
        if (!interfaces.isEmpty()) {
            builder.addGrainInterfaces(interfaces.toArray(Class<?>[]::new));
        }
        orleans.serialization().allowedClasses(beanFactory.getBeanClassLoader()).forEach(builder::allowSerialization);
        outgoingFilters.orderedStream(type -> true, false).forEach(builder::addOutgoingCallFilter);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        log.info(
                "Client mode: no silo here; grains are called in service {} cluster {} through {}",
                cluster.serviceId(),
                cluster.clusterId(),
                client.gateways().isEmpty() ? "the gateways in the membership table" : "gateways " + client.gateways());
        return builder.build();
    }

    static ClusterOptions clusterOptions(ClusterClientProperties client, OrleansProperties orleans) {
        return new ClusterOptions(
                client.serviceId() != null
                        ? client.serviceId()
                        : orleans.cluster().serviceId(),
                client.clusterId() != null
                        ? client.clusterId()
                        : orleans.cluster().clusterId());
    }

    @Bean
    @ConditionalOnMissingBean
    GrainFactory grainFactory(ClusterClient client) {
        return client.grainFactory();
    }

    @Bean
    @ConditionalOnMissingBean
    ClusterClientLifecycle orleansClusterClientLifecycle(ClusterClient client) {
        return new ClusterClientLifecycle(client);
    }

    @Bean
    @ConditionalOnMissingBean
    ReadinessDrainLifecycle orleansReadinessDrainLifecycle(
            ApplicationEventPublisher publisher, OrleansProperties properties) {
        return new ReadinessDrainLifecycle(publisher, properties.shutdown().readinessDelay());
    }

    /**
     * Without configured gateways: the membership table of the cluster in the application's
     * database, read by the client (it never writes to it), scoped by the client's service id and
     * cluster id.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.jdbc.core.simple.JdbcClient")
    @ConditionalOnSingleCandidate(DataSource.class)
    @Conditional(NoConfiguredGatewaysCondition.class)
    @EnableConfigurationProperties(OrleansJdbcProperties.class)
    static class MembershipTableConfiguration {

        @Bean
        @ConditionalOnMissingBean(MembershipTable.class)
        JdbcMembershipTable orleansClientMembershipTable(
                DataSource dataSource,
                ClusterClientProperties client,
                OrleansProperties orleans,
                OrleansJdbcProperties jdbc) {
            ClusterOptions cluster = clusterOptions(client, orleans);
            return new JdbcMembershipTable(dataSource, cluster.serviceId(), cluster.clusterId(), jdbc.jdbcTimeout());
        }
    }

    /** Matches when {@code orleans.client.gateways} lists no gateway. */
    static class NoConfiguredGatewaysCondition extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            List<String> gateways = Binder.get(context.getEnvironment())
                    .bind("orleans.client.gateways", Bindable.listOf(String.class))
                    .orElse(List.of());
            return gateways.stream().allMatch(String::isBlank)
                    ? ConditionOutcome.match(
                            "orleans.client.gateways is empty: gateways come from the membership table")
                    : ConditionOutcome.noMatch("orleans.client.gateways lists " + gateways);
        }
    }
}
