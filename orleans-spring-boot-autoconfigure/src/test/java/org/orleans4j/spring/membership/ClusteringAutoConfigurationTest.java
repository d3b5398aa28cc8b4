package org.orleans4j.spring.membership;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.directory.internal.CachedGrainDirectory;
import org.orleans4j.directory.internal.DistributedGrainDirectory;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.directory.JdbcGrainDirectory;
import org.orleans4j.spring.jdbc.JdbcGrainStorageAutoConfiguration;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.orleans4j.spring.silo.app.GrainTestApplication;
import org.orleans4j.spring.silo.app.GreeterGrain;
import org.orleans4j.spring.silo.app.PinnedDirector;
import org.orleans4j.testing.db.H2Databases;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Clustering from properties: silos of two application contexts on one database form a cluster. */
class ClusteringAutoConfigurationTest {

    private final String database = H2Databases.url("cluster");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    JdbcGrainStorageAutoConfiguration.class,
                    JdbcClusteringAutoConfiguration.class,
                    OrleansAutoConfiguration.class))
            .withUserConfiguration(GrainTestApplication.class, Directors.class)
            .withPropertyValues(
                    "spring.datasource.url=" + database,
                    "orleans.cluster.cluster-id=spring-test",
                    "orleans.endpoints.silo-port=0",
                    "orleans.endpoints.gateway-port=0",
                    "orleans.endpoints.advertised-address=127.0.0.1",
                    "orleans.endpoints.listen-address=127.0.0.1",
                    "orleans.clustering.probe-timeout=500ms",
                    "orleans.clustering.i-am-alive-period=1s",
                    "orleans.clustering.table-refresh-period=1s");

    /** The test application's custom strategy needs its director. */
    @Configuration(proxyBeanMethods = false)
    static class Directors {
        @Bean
        PinnedDirector pinnedDirector() {
            return new PinnedDirector();
        }
    }

    @Test
    void clusteringIsOffUnlessEnabled() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(MembershipTable.class);
            assertThat(context.getBean(Silo.class).membership()).isNull();
        });
    }

    @Test
    void twoApplicationsOnOneDatabaseFormAClusterAndShareGrains() {
        runner.withPropertyValues("orleans.clustering.enabled=true", "orleans.silo.name=first")
                .run(first -> {
                    assertThat(first).hasNotFailed().hasSingleBean(JdbcMembershipTable.class);
                    runner.withPropertyValues("orleans.clustering.enabled=true", "orleans.silo.name=second")
                            .run(second -> {
                                assertThat(second).hasNotFailed();
                                Silo a = first.getBean(Silo.class);
                                Silo b = second.getBean(Silo.class);
                                assertThat(a.status()).isEqualTo(SiloStatus.ACTIVE);
                                assertThat(a.grainDirectory()).isInstanceOf(DistributedGrainDirectory.class);
                                assertThat(b.membership().currentSnapshot().activeSilos())
                                        .containsExactlyInAnyOrder(a.address(), b.address());
                                assertThat(a.membership().refresh().join().activeSilos())
                                        .hasSize(2);
                                GrainFactory viaA = first.getBean(GrainFactory.class);
                                GrainFactory viaB = second.getBean(GrainFactory.class);
                                for (int i = 0; i < 20; i++) {
                                    int instance = viaA.getGrain(GreeterGrain.class, "w" + i)
                                            .instanceNumber()
                                            .join();
                                    assertThat(viaB.getGrain(GreeterGrain.class, "w" + i)
                                                    .instanceNumber()
                                                    .join())
                                            .as("one activation of w%d", i)
                                            .isEqualTo(instance);
                                }
                                assertThat(a.catalog().activationCount()
                                                + b.catalog().activationCount())
                                        .isEqualTo(20);
                            });
                });
    }

    @Test
    void theJdbcGrainDirectoryCanBeChosen() {
        runner.withPropertyValues("orleans.clustering.enabled=true", "orleans.clustering.grain-directory=jdbc")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(JdbcGrainDirectory.class);
                    Silo silo = context.getBean(Silo.class);
                    assertThat(silo.grainDirectory()).isInstanceOf(CachedGrainDirectory.class);
                    assertThat(context.getBean(GrainFactory.class)
                                    .getGrain(GreeterGrain.class, "x")
                                    .greet()
                                    .join())
                            .isEqualTo("Hello, x");
                });
    }

    @Test
    void theMembershipTableAndTheDirectoryTakeTheJdbcTimeout() {
        runner.withPropertyValues(
                        "orleans.clustering.enabled=true",
                        "orleans.clustering.grain-directory=jdbc",
                        "orleans.jdbc.timeout=3s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(JdbcMembershipTable.class)
                                    .timeout()
                                    .value())
                            .isEqualTo(java.time.Duration.ofSeconds(3));
                    assertThat(context.getBean(JdbcGrainDirectory.class)
                                    .timeout()
                                    .value())
                            .isEqualTo(java.time.Duration.ofSeconds(3));
                });
    }

    @Test
    void clusteringWithoutADatabaseFailsStartupClearly() {
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(JdbcClusteringAutoConfiguration.class, OrleansAutoConfiguration.class))
                .withUserConfiguration(GrainTestApplication.class, Directors.class)
                .withPropertyValues(
                        "orleans.clustering.enabled=true",
                        "orleans.endpoints.silo-port=0",
                        "orleans.endpoints.gateway-port=0")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("orleans.clustering.enabled=true needs a membership table"));
    }

    @Test
    void aBadClusteringPropertyFailsStartupNamingIt() {
        runner.withPropertyValues("orleans.clustering.enabled=true", "orleans.clustering.missed-probes-limit=0")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("orleans.clustering.missed-probes-limit"));
        runner.withPropertyValues("orleans.clustering.enabled=true", "orleans.clustering.grain-directory=zookeeper")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("orleans.clustering.grain-directory"));
        runner.withPropertyValues("orleans.serialization.allowed-types=com.example.Missing")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining(
                                "orleans.serialization.allowed-types names a class that does not exist"));
    }
}
