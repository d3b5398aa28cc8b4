package org.orleans4j.spring.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.actuate.endpoint.ActivationsReport.PublishedCounts;
import org.orleans4j.spring.actuate.endpoint.MembershipReport.Member;
import org.orleans4j.spring.actuate.endpoint.PlacementReport.GrainType;
import org.orleans4j.spring.actuate.endpoint.PlacementReport.SiloLoad;
import org.orleans4j.spring.actuate.endpoint.app.EchoWorker;
import org.orleans4j.spring.actuate.endpoint.app.EndpointTestApplication;
import org.orleans4j.spring.actuate.endpoint.app.NoteGrain;
import org.orleans4j.spring.actuate.endpoint.app.WordGrain;
import org.orleans4j.spring.jdbc.JdbcGrainStorageAutoConfiguration;
import org.orleans4j.spring.membership.JdbcClusteringAutoConfiguration;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.db.H2Databases;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What the endpoint reports, called directly, for a silo on its own and for two clustered silos on H2. */
class OrleansEndpointTest {

    private static final Duration PUBLISHED = Duration.ofSeconds(10);

    private final ApplicationContextRunner single = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(OrleansAutoConfiguration.class, OrleansEndpointAutoConfiguration.class))
            .withUserConfiguration(EndpointTestApplication.class)
            .withPropertyValues(
                    "orleans.endpoints.silo-port=0",
                    "orleans.endpoints.gateway-port=0",
                    "orleans.cluster.service-id=words",
                    "orleans.cluster.cluster-id=alone",
                    "orleans.silo.name=solo",
                    "management.endpoints.web.exposure.include=orleans");

    private final ApplicationContextRunner clustered = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    JdbcGrainStorageAutoConfiguration.class,
                    JdbcClusteringAutoConfiguration.class,
                    OrleansAutoConfiguration.class,
                    OrleansEndpointAutoConfiguration.class))
            .withUserConfiguration(EndpointTestApplication.class)
            .withPropertyValues(
                    H2Databases.springDataSourceUrl("endpoint"),
                    "orleans.cluster.cluster-id=endpoint-test",
                    "orleans.clustering.enabled=true",
                    "orleans.endpoints.silo-port=0",
                    "orleans.endpoints.advertised-address=127.0.0.1",
                    "orleans.endpoints.listen-address=127.0.0.1",
                    "orleans.clustering.probe-timeout=500ms",
                    "orleans.clustering.i-am-alive-period=1s",
                    "orleans.clustering.table-refresh-period=1s",
                    "management.endpoints.web.exposure.include=orleans");

    private static OrleansEndpoint endpoint(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed().hasSingleBean(OrleansEndpoint.class);
        return context.getBean(OrleansEndpoint.class);
    }

    @Test
    void aSiloOnItsOwnReportsItself() {
        single.run(context -> {
            OrleansEndpoint endpoint = endpoint(context);
            Silo silo = context.getBean(Silo.class);
            String address = silo.address().toString();

            OrleansSummary summary = endpoint.summary();
            assertThat(summary.silo()).isEqualTo(new OrleansSummary.ThisSilo(address, "solo", "solo", "ACTIVE"));
            assertThat(summary.serviceId()).isEqualTo("words");
            assertThat(summary.clusterId()).isEqualTo("alone");
            assertThat(summary.clustered()).isFalse();
            assertThat(summary.silosByStatus()).containsExactly(Map.entry("ACTIVE", 1));

            MembershipReport membership = (MembershipReport) endpoint.section("membership");
            assertThat(membership.source()).isEqualTo("silo");
            assertThat(membership.version()).isNull();
            assertThat(membership.silos()).singleElement().satisfies(member -> {
                assertThat(member.address()).isEqualTo(address);
                assertThat(member.status()).isEqualTo("ACTIVE");
                assertThat(member.startTime())
                        .isEqualTo(Instant.ofEpochMilli(silo.address().generation()));
            });

            GrainFactory grains = context.getBean(GrainFactory.class);
            for (int i = 0; i < 10; i++) {
                grains.getGrain(WordGrain.class, "w" + i).echo().join();
            }
            grains.getGrain(NoteGrain.class, 7).id().join();
            grains.getGrain(EchoWorker.class, "e").echo("x").join();

            ActivationsReport live = endpoint.activations();
            assertThat(live.local().address()).isEqualTo(address);
            assertThat(live.local().activationsByType())
                    .containsEntry("word", 10)
                    .containsEntry("note", 1)
                    .containsEntry("echoworker", 1);
            assertThat(live.local().activations()).isEqualTo(12);
            assertThat(live.local().createdByType()).containsEntry("word", 10L);
            // The cluster figures are those published each second: wait for a publication after the calls.
            ActivationsReport published =
                    await().atMost(PUBLISHED).until(endpoint::activations, report -> report.totalActivations() == 12);
            assertThat(published.activationsByType()).containsEntry("word", 10).containsEntry("note", 1);
            assertThat(published.silos()).singleElement().satisfies(counts -> {
                assertThat(counts.address()).isEqualTo(address);
                assertThat(counts.activations()).isEqualTo(12);
                assertThat(counts.ageMillis()).isBetween(0L, PUBLISHED.toMillis());
            });
            assertThat(await().atMost(PUBLISHED).until(endpoint::summary, s -> s.totalActivations() == 12))
                    .isNotNull();

            PlacementReport placement = (PlacementReport) endpoint.section("placement");
            assertThat(placement.defaultStrategy()).isEqualTo("RandomPlacement");
            assertThat(placement.grainTypes()).containsOnlyKeys("word", "note", "echoworker");
            assertThat(placement.grainTypes().get("word"))
                    .isEqualTo(new GrainType(
                            "org.orleans4j.spring.actuate.endpoint.app.WordGrainImpl",
                            "ActivationCountBasedPlacement",
                            null));
            assertThat(placement.grainTypes().get("note").strategy()).isEqualTo("RandomPlacement");
            assertThat(placement.grainTypes().get("echoworker").strategy()).isEqualTo("StatelessWorkerPlacement");
            assertThat(placement.grainTypes().get("echoworker").maxLocalWorkers())
                    .isEqualTo(3);
            assertThat(placement.silos()).singleElement().satisfies(load -> {
                assertThat(load.address()).isEqualTo(address);
                assertThat(load.activationCountEstimate()).isEqualTo(12);
                assertThat(load.publishedActivations()).isEqualTo(12);
            });

            assertThat(endpoint.section("nothing"))
                    .as("an unknown section (404)")
                    .isNull();
        });
    }

    @Test
    void clusteredSilosReportTheTableAndEachOthersCounts() {
        // Gateways on free ports (a fixed one would collide with other builds on this machine).
        int[] gateways = FreePorts.allocate(2);
        clustered
                .withPropertyValues("orleans.silo.name=first", "orleans.endpoints.gateway-port=" + gateways[0])
                .run(first -> {
                    clustered
                            .withPropertyValues(
                                    "orleans.silo.name=second", "orleans.endpoints.gateway-port=" + gateways[1])
                            .run(second -> {
                                OrleansEndpoint a = endpoint(first);
                                OrleansEndpoint b = endpoint(second);
                                Silo siloA = first.getBean(Silo.class);
                                Silo siloB = second.getBean(Silo.class);
                                List<String> both = List.of(
                                        siloA.address().toString(),
                                        siloB.address().toString());

                                MembershipReport membership = a.membership();
                                assertThat(membership.source()).isEqualTo("table");
                                assertThat(membership.version()).isPositive();
                                assertThat(membership.silos())
                                        .extracting(Member::address)
                                        .containsExactlyInAnyOrderElementsOf(both);
                                assertThat(membership.silos()).allSatisfy(member -> {
                                    assertThat(member.status()).isEqualTo("ACTIVE");
                                    assertThat(member.startTime()).isNotNull();
                                    assertThat(member.iAmAliveTime()).isNotNull();
                                    assertThat(member.suspectVotes()).isEmpty();
                                });
                                assertThat(membership.silos())
                                        .extracting(Member::gatewayPort)
                                        .containsExactlyInAnyOrder(gateways[0], gateways[1]);
                                assertThat(siloA.gatewayPort()).as("listening").isEqualTo(gateways[0]);
                                assertThat(membership.silos())
                                        .extracting(Member::name)
                                        .containsExactlyInAnyOrder("first", "second");
                                assertThat(b.membership().silos())
                                        .extracting(Member::address, Member::status)
                                        .containsExactlyInAnyOrderElementsOf(membership.silos().stream()
                                                .map(m -> tuple(m.address(), m.status()))
                                                .toList());

                                // Without a table bean (a table configured past the beans): the silo's cached view,
                                // which
                                // sees B Active once A has re-read the table after B's notice (coalesced, within a
                                // moment).
                                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                                    MembershipReport snapshot =
                                            new MembershipReader(siloA, null, Duration.ofSeconds(5)).read();
                                    assertThat(snapshot.source()).isEqualTo("snapshot");
                                    assertThat(snapshot.silos())
                                            .extracting(Member::address, Member::status)
                                            .containsExactlyInAnyOrder(
                                                    tuple(both.get(0), "ACTIVE"), tuple(both.get(1), "ACTIVE"));
                                });
                                MembershipTable broken = mock(MembershipTable.class);
                                when(broken.readAll())
                                        .thenReturn(
                                                CompletableFuture.failedFuture(new SQLException("connection refused")));
                                assertThatThrownBy(
                                                () -> new MembershipReader(siloA, broken, Duration.ofSeconds(5)).read())
                                        .isInstanceOf(IllegalStateException.class)
                                        .hasMessageContaining("Reading the membership table failed")
                                        .hasMessageContaining("connection refused");

                                OrleansSummary summary = await().atMost(PUBLISHED)
                                        .until(
                                                a::summary,
                                                s -> Integer.valueOf(2)
                                                        .equals(s.silosByStatus()
                                                                .get("ACTIVE")));
                                assertThat(summary.clustered()).isTrue();
                                assertThat(summary.silo().name()).isEqualTo("first");

                                GrainFactory grains = first.getBean(GrainFactory.class);
                                for (int i = 0; i < 40; i++) {
                                    grains.getGrain(WordGrain.class, "w" + i)
                                            .echo()
                                            .join();
                                }
                                int onA = siloA.catalog().activationCount();
                                int onB = siloB.catalog().activationCount();
                                assertThat(onA + onB).isEqualTo(40);
                                // Both silos hold both silos' published counts once a publication after the calls
                                // arrived.
                                for (OrleansEndpoint endpoint : List.of(a, b)) {
                                    ActivationsReport report = await().atMost(PUBLISHED)
                                            .until(
                                                    endpoint::activations,
                                                    r -> r.totalActivations() == 40
                                                            && r.silos().size() == 2);
                                    assertThat(report.activationsByType()).containsEntry("word", 40);
                                    assertThat(report.silos())
                                            .as("in address order")
                                            .extracting(PublishedCounts::address)
                                            .containsExactlyElementsOf(Stream.of(siloA.address(), siloB.address())
                                                    .sorted()
                                                    .map(SiloAddress::toString)
                                                    .toList());
                                    assertThat(report.silos().stream()
                                                    .mapToInt(PublishedCounts::activations)
                                                    .sum())
                                            .isEqualTo(40);
                                }
                                assertThat(a.activations().local().activations())
                                        .isEqualTo(onA);
                                assertThat(b.activations().local().activations())
                                        .isEqualTo(onB);

                                PlacementReport placement = a.placement();
                                assertThat(placement.silos())
                                        .extracting(SiloLoad::address)
                                        .containsExactlyInAnyOrderElementsOf(both);
                                assertThat(placement.silos()).allSatisfy(load -> {
                                    assertThat(load.publishedActivations()).isNotNull();
                                    assertThat(load.activationCountEstimate())
                                            .isGreaterThanOrEqualTo(load.publishedActivations());
                                });
                                assertThat(placement.silos().stream()
                                                .mapToInt(SiloLoad::publishedActivations)
                                                .sum())
                                        .isEqualTo(40);
                            });
                });
    }
}
