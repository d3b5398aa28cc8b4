package org.orleans4j.spring.silo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.IncomingGrainCallFilter;
import org.orleans4j.calls.OutgoingGrainCallFilter;
import org.orleans4j.catalog.GrainActivator;
import org.orleans4j.catalog.GrainCollectionOptions;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.directory.GrainDirectory;
import org.orleans4j.grain.Grain;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.persistence.MemoryGrainStorage;
import org.orleans4j.placement.ActivationCountBasedPlacementOptions;
import org.orleans4j.placement.PlacementDirector;
import org.orleans4j.placement.PlacementStrategy;
import org.orleans4j.reminders.ReminderTable;
import org.orleans4j.runtime.EndpointOptions;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloBuilder;
import org.orleans4j.runtime.SiloOptions;
import org.orleans4j.spring.autoconfigure.ConditionalOnClientMode;
import org.orleans4j.spring.autoconfigure.OrleansProperties;
import org.orleans4j.spring.autoconfigure.ReadinessDrainLifecycle;
import org.orleans4j.spring.grain.GrainBeanRegistrar;
import org.orleans4j.spring.grain.SpringGrainActivator;
import org.orleans4j.spring.jdbc.JdbcGrainStorageAutoConfiguration;
import org.orleans4j.spring.membership.ClusteringProperties;
import org.orleans4j.spring.membership.JdbcClusteringAutoConfiguration;
import org.orleans4j.spring.placement.PlacementDirectorBeans;
import org.orleans4j.spring.reminders.ReminderProperties;
import org.orleans4j.spring.reminders.RemindersAutoConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Hosts a silo in the application: grain classes are prototype beans, placement directors and the
 * default strategy come from beans, storage providers are the {@link GrainStorage} beans (by bean
 * name), and the silo starts and stops with the context. Not in client mode
 * ({@code orleans.client.enabled=true}), where {@code ClusterClientAutoConfiguration} applies instead.
 */
@AutoConfiguration(
        after = {
            JdbcGrainStorageAutoConfiguration.class,
            JdbcClusteringAutoConfiguration.class,
            RemindersAutoConfiguration.class
        })
@ConditionalOnClientMode(false)
@EnableConfigurationProperties({OrleansProperties.class, ClusteringProperties.class, ReminderProperties.class})
public class OrleansAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OrleansAutoConfiguration.class);

    @Bean
    static GrainBeanRegistrar orleansGrainBeanRegistrar() {
        return new GrainBeanRegistrar();
    }

    @Bean
    @ConditionalOnMissingBean
    GrainActivator orleansGrainActivator(ConfigurableListableBeanFactory beanFactory) {
        return new SpringGrainActivator(beanFactory, grainBeanNames(beanFactory));
    }

    @Bean
    @ConditionalOnMissingBean(GrainStorage.class)
    MemoryGrainStorage grainStorage() {
        log.warn("No GrainStorage is configured (no DataSource?): grain state is kept in memory and lost on restart");
        return new MemoryGrainStorage();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Silo orleansSilo(
            OrleansProperties properties,
            ConfigurableListableBeanFactory beanFactory,
            GrainActivator activator,
            Map<String, GrainStorage> storages,
            ObjectProvider<PlacementStrategy> defaultStrategy,
            ObjectProvider<ClusteringProperties> clustering,
            ObjectProvider<MembershipTable> membershipTable,
            ObjectProvider<GrainDirectory> grainDirectory,
            ObjectProvider<IncomingGrainCallFilter> incomingFilters,
            ObjectProvider<OutgoingGrainCallFilter> outgoingFilters,
            ReminderProperties reminders,
            ObjectProvider<ReminderTable> reminderTable,
            ObjectProvider<SiloBuilderCustomizer> customizers,
            ObjectProvider<BuildProperties> buildProperties) {
        OrleansProperties.Endpoints endpoints = properties.endpoints();
        OrleansProperties.GrainCollection collection = properties.grainCollection();
        SiloBuilder builder = Silo.builder()
                .clusterOptions(new ClusterOptions(
                        properties.cluster().serviceId(), properties.cluster().clusterId()))
                .endpointOptions(new EndpointOptions(
                        endpoints.siloPort(),
                        endpoints.gatewayPort(),
                        endpoints.advertisedAddress(),
                        endpoints.listenAddress()))
                .collectionOptions(new GrainCollectionOptions(
                        collection.collectionAge(),
                        collection.collectionQuantum(),
                        collection.activationTimeout(),
                        collection.deactivationTimeout()))
                .messagingOptions(properties.messaging().messagingOptions())
                .callRetryOptions(properties.messaging().callRetryOptions())
                .activationCountPlacementOptions(new ActivationCountBasedPlacementOptions(
                        properties.placement().activationCountChooseOutOf()))
                .preferNewestVersion(properties.placement().preferNewestVersion())
                .appVersion(appVersion(properties.silo(), buildProperties.getIfAvailable()))
                .activator(activator);
        String siloName = properties.silo().name();
        if (siloName != null && !siloName.isBlank()) {
            builder.siloOptions(new SiloOptions(siloName, properties.silo().role()));
        }
        defaultStrategy.ifAvailable(builder::defaultPlacementStrategy);
        PlacementDirectorBeans.find(beanFactory).forEach((strategy, director) -> register(builder, strategy, director));
        storages.forEach(builder::storage);
        grainBeanNames(beanFactory).keySet().forEach(builder::addGrainClass);
        properties
                .serialization()
                .allowedClasses(beanFactory.getBeanClassLoader())
                .forEach(builder::allowSerialization);
        ClusteringProperties clusteringProperties = clustering.getIfAvailable();
        if (clusteringProperties != null && clusteringProperties.enabled()) {
            configureCluster(
                    builder, clusteringProperties, membershipTable.getIfAvailable(), grainDirectory.getIfAvailable());
        }
        if (reminders.table() != ReminderProperties.TableType.NONE) {
            reminderTable.ifAvailable(builder::reminderTable);
        }
        builder.reminderOptions(reminders.reminderOptions());
        // Singletons only: a grain class that is a filter is a prototype bean, and filters its own calls.
        incomingFilters.orderedStream(type -> true, false).forEach(builder::addIncomingCallFilter);
        outgoingFilters.orderedStream(type -> true, false).forEach(builder::addOutgoingCallFilter);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    private static void configureCluster(
            SiloBuilder builder, ClusteringProperties clustering, MembershipTable table, GrainDirectory directory) {
        if (table == null || clustering == null) {
            throw new IllegalStateException("orleans.clustering.enabled=true needs a membership table: configure a "
                    + "DataSource (spring.datasource.url, H2 or PostgreSQL) or define a MembershipTable bean");
        }
        builder.membershipTable(table)
                .membershipOptions(clustering.membershipOptions())
                .joinTimeout(clustering.joinTimeout())
                .directoryCacheSize(clustering.directoryCacheSize());
        if (clustering.grainDirectory() == ClusteringProperties.GrainDirectoryType.JDBC) {
            if (directory == null) {
                throw new IllegalStateException(
                        "orleans.clustering.grain-directory=jdbc needs a DataSource or a " + "GrainDirectory bean");
            }
            builder.grainDirectory(directory);
        }
    }

    /** The configured application version, else the build's (Spring Boot's build info), else blank. */
    static String appVersion(OrleansProperties.Silo silo, @Nullable BuildProperties build) {
        if (silo.appVersion() != null && !silo.appVersion().isBlank()) {
            return silo.appVersion();
        }
        return build == null || build.getVersion() == null ? "" : build.getVersion();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void register(
            SiloBuilder builder, Class<? extends PlacementStrategy> strategy, PlacementDirector<?> director) {
        builder.placementDirector((Class) strategy, (PlacementDirector) director);
    }

    @Bean
    @ConditionalOnMissingBean
    GrainFactory grainFactory(Silo silo) {
        return silo.grainFactory();
    }

    @Bean
    @ConditionalOnMissingBean
    OrleansSiloLifecycle orleansSiloLifecycle(Silo silo, Environment environment, ApplicationEventPublisher publisher) {
        Duration timeout = environment.getProperty(
                "spring.lifecycle.timeout-per-shutdown-phase", Duration.class, Duration.ofSeconds(30));
        return new OrleansSiloLifecycle(silo, timeout, publisher);
    }

    @Bean
    @ConditionalOnMissingBean
    ReadinessDrainLifecycle orleansReadinessDrainLifecycle(
            ApplicationEventPublisher publisher, OrleansProperties properties) {
        return new ReadinessDrainLifecycle(publisher, properties.shutdown().readinessDelay());
    }

    /** Grain implementation class → bean name, for every grain bean definition. */
    static Map<Class<?>, String> grainBeanNames(ConfigurableListableBeanFactory beanFactory) {
        Map<Class<?>, String> names = new LinkedHashMap<>();
        for (String name : beanFactory.getBeanNamesForType(Grain.class, true, false)) {
            Class<?> type = beanFactory.getType(name, false);
            if (type != null && !type.isInterface()) {
                String previous = names.put(org.springframework.util.ClassUtils.getUserClass(type), name);
                if (previous != null) {
                    throw new IllegalStateException("Grain class " + type.getName() + " is defined by two beans, '"
                            + previous + "' and '" + name + "'; keep one");
                }
            }
        }
        return names;
    }
}
