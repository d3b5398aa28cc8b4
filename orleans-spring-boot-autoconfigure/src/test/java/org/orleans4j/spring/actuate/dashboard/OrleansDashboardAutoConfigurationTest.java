package org.orleans4j.spring.actuate.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.actuate.dashboard.DashboardData.GrainTypeView;
import org.orleans4j.spring.actuate.dashboard.DashboardData.MethodView;
import org.orleans4j.spring.actuate.dashboard.app.DashboardTestApplication;
import org.orleans4j.spring.actuate.dashboard.app.PingGrain;
import org.orleans4j.spring.actuate.endpoint.OrleansEndpoint;
import org.orleans4j.spring.actuate.endpoint.OrleansEndpointAutoConfiguration;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * When the dashboard exists (Actuator present, a silo hosted, {@code orleans.dashboard.enabled=true},
 * the endpoint exposed over the web and not switched off), and what it reports, called directly.
 */
class OrleansDashboardAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    OrleansAutoConfiguration.class,
                    OrleansEndpointAutoConfiguration.class,
                    OrleansDashboardAutoConfiguration.class))
            .withUserConfiguration(DashboardTestApplication.class)
            .withPropertyValues(
                    "orleans.endpoints.silo-port=0",
                    "orleans.endpoints.gateway-port=0",
                    "orleans.cluster.service-id=pings",
                    "orleans.silo.name=solo");

    private final ApplicationContextRunner exposed =
            runner.withPropertyValues("management.endpoints.web.exposure.include=health,orleans,orleansdashboard");

    private final ApplicationContextRunner enabled = exposed.withPropertyValues("orleans.dashboard.enabled=true");

    @Test
    void presentWhenEnabledAndExposedOverTheWeb() {
        enabled.run(context -> assertThat(context)
                .hasNotFailed()
                .hasSingleBean(OrleansDashboardEndpoint.class)
                .hasSingleBean(DashboardCounters.class)
                .hasSingleBean(OrleansEndpoint.class));
    }

    @Test
    void absentByDefaultEvenWhenExposed() {
        exposed.run(context -> assertThat(context)
                .hasNotFailed()
                .doesNotHaveBean(OrleansDashboardEndpoint.class)
                .doesNotHaveBean(DashboardCounters.class)
                .hasSingleBean(OrleansEndpoint.class));
    }

    @Test
    void absentWhenEnabledButNotExposed() {
        runner.withPropertyValues("orleans.dashboard.enabled=true")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(OrleansDashboardEndpoint.class)
                        .doesNotHaveBean(DashboardCounters.class));
        runner.withPropertyValues(
                        "orleans.dashboard.enabled=true",
                        "management.endpoints.jmx.exposure.include=orleansdashboard",
                        "spring.jmx.enabled=true")
                .run(context -> assertThat(context)
                        .as("a web page: JMX exposure does not count")
                        .hasNotFailed()
                        .doesNotHaveBean(OrleansDashboardEndpoint.class));
    }

    @Test
    void absentWhenItsAccessIsNone() {
        enabled.withPropertyValues("management.endpoint.orleansdashboard.access=NONE")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(OrleansDashboardEndpoint.class)
                        .doesNotHaveBean(DashboardCounters.class));
    }

    @Test
    void absentWithoutActuator() {
        enabled.withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardCounters.class));
    }

    @Test
    void absentWithoutASilo() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(OrleansDashboardAutoConfiguration.class))
                .withPropertyValues(
                        "orleans.dashboard.enabled=true", "management.endpoints.web.exposure.include=orleansdashboard")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardCounters.class));
    }

    @Test
    void aRefreshIntervalBelowAQuarterSecondFailsStartupWithThePropertysName() {
        enabled.withPropertyValues("orleans.dashboard.refresh-interval=10ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootCause(context.getStartupFailure()))
                    .hasMessageContaining("orleans.dashboard.refresh-interval must be at least 250ms");
        });
    }

    @Test
    void thePageIsOneHtmlDocumentWithItsStyleAndScriptInlined() {
        enabled.withPropertyValues("orleans.dashboard.refresh-interval=5s").run(context -> {
            String html = context.getBean(OrleansDashboardEndpoint.class).page();
            assertThat(html)
                    .startsWith("<!DOCTYPE html>")
                    .contains("<meta name=\"viewport\"")
                    .contains("data-refresh-millis=\"5000\"")
                    .contains("grid-template-columns") // the CSS
                    .contains("'/data'") // the script
                    .doesNotContain("/*DASHBOARD_CSS*/", "/*DASHBOARD_JS*/")
                    .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write")
                    .contains("http://www.w3.org/2000/svg");
            assertThat(html.replace("http://www.w3.org/2000/svg", ""))
                    .as("nothing loaded from elsewhere: the SVG namespace is the only absolute address")
                    .doesNotContain("http:", "https:", "//cdn");
            assertThat(context.getBean(OrleansDashboardEndpoint.class).part("other"))
                    .as("404")
                    .isNull();
        });
    }

    @Test
    void theDataShowThisSiloItsGrainTypesAndTheCallsMadeThroughIt() {
        enabled.run(context -> {
            GrainFactory grains = context.getBean(GrainFactory.class);
            for (int i = 0; i < 20; i++) {
                assertThat(grains.getGrain(PingGrain.class, "p" + (i % 4))
                                .ping()
                                .join())
                        .isEqualTo("p" + (i % 4));
            }
            Throwable failed = catchThrowable(
                    () -> grains.getGrain(PingGrain.class, "p0").fail().join());
            assertThat(failed).hasRootCauseMessage("refused on purpose");
            String type = typeName(context);

            DashboardData data = context.getBean(OrleansDashboardEndpoint.class).data();

            assertThat(data.silo().name()).isEqualTo("solo");
            assertThat(data.silo().status()).isEqualTo("ACTIVE");
            assertThat(data.serviceId()).isEqualTo("pings");
            assertThat(data.clustered()).isFalse();
            assertThat(data.silos()).singleElement().satisfies(silo -> {
                assertThat(silo.self()).isTrue();
                assertThat(silo.status()).isEqualTo("ACTIVE");
            });
            assertThat(data.calls().total()).isEqualTo(21);
            assertThat(data.calls().failed()).isEqualTo(1);
            assertThat(data.calls().perSecond()).isPositive();
            assertThat(data.calls().p50Millis()).isNotNull().isPositive();
            assertThat(data.calls().p99Millis())
                    .isGreaterThanOrEqualTo(data.calls().p50Millis());
            assertThat(data.timeline()).hasSize(GrainCallStatistics.WINDOW_BUCKETS);
            assertThat(data.timeline().getLast().calls()).isEqualTo(21);
            assertThat(data.timeline().getFirst().seconds())
                    .as("before the silo started")
                    .isZero();

            GrainTypeView ping = data.grainTypes().stream()
                    .filter(t -> t.type().equals(type))
                    .findFirst()
                    .orElseThrow();
            assertThat(ping.calls()).isEqualTo(21);
            assertThat(ping.failed()).isEqualTo(1);
            assertThat(ping.localActivations()).isEqualTo(4);
            assertThat(ping.perSecond()).isPositive();
            assertThat(ping.callsPerBucket()).hasSize(GrainCallStatistics.WINDOW_BUCKETS);
            assertThat(data.methods())
                    .extracting(MethodView::method, MethodView::calls, MethodView::failed)
                    .containsExactly(tuple("ping", 20L, 0L), tuple("fail", 1L, 1L));
            assertThat(data.busiestGrains().enabled()).isFalse();
            assertThat(data.busiestGrains().grains()).isEmpty();
        });
    }

    @Test
    void theBusiestGrainsAreCountedOnlyWhenEnabled() {
        enabled.withPropertyValues(
                        "orleans.dashboard.busiest-grains.enabled=true", "orleans.dashboard.busiest-grains.limit=2")
                .run(context -> {
                    GrainFactory grains = context.getBean(GrainFactory.class);
                    for (String key : List.of("hot", "hot", "hot", "warm", "warm", "cold", "hot", "<b>x</b>")) {
                        grains.getGrain(PingGrain.class, key).ping().join();
                    }
                    DashboardData data =
                            context.getBean(OrleansDashboardEndpoint.class).data();
                    assertThat(data.busiestGrains().enabled()).isTrue();
                    assertThat(data.busiestGrains().grains())
                            .extracting(DashboardData.HotGrain::key, DashboardData.HotGrain::callsPerMinute)
                            .containsExactly(tuple("hot", 4L), tuple("warm", 2L));
                    assertThat(data.busiestGrains().grains().getFirst().type()).isEqualTo(typeName(context));
                });
    }

    private static String typeName(AssertableApplicationContext context) {
        return context.getBean(Silo.class)
                .grainTypes()
                .implementationOf(PingGrain.class)
                .typeName();
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
