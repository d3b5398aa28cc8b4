package org.orleans4j.spring.actuate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.actuate.metrics.app.MetricsTestApplication;
import org.orleans4j.spring.actuate.metrics.app.WordGrain;
import org.orleans4j.spring.jdbc.JdbcGrainStorageAutoConfiguration;
import org.orleans4j.spring.membership.JdbcClusteringAutoConfiguration;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.orleans4j.testing.db.H2Databases;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The silo's meters: present with Micrometer and a registry, absent without, off by property. */
class OrleansMetricsAutoConfigurationTest {

    private static final List<String> WORDS = List.of("apple", "pear", "plum");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    OrleansAutoConfiguration.class,
                    MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class,
                    OrleansMetricsAutoConfiguration.class))
            .withUserConfiguration(MetricsTestApplication.class);

    /** Prometheus' registry: the one that shows histogram buckets, and the names Prometheus sees. */
    private final ApplicationContextRunner prometheus = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    OrleansAutoConfiguration.class,
                    MetricsAutoConfiguration.class,
                    PrometheusMetricsExportAutoConfiguration.class,
                    OrleansMetricsAutoConfiguration.class))
            .withUserConfiguration(MetricsTestApplication.class);

    private static String callWords(AssertableApplicationContext context) {
        GrainFactory grains = context.getBean(GrainFactory.class);
        for (String word : WORDS) {
            assertThat(grains.getGrain(WordGrain.class, word).echo(word).join()).isEqualTo(word);
        }
        return context.getBean(Silo.class)
                .grainTypes()
                .implementationOf(WordGrain.class)
                .typeName();
    }

    private static List<Meter> orleansMeters(MeterRegistry registry) {
        return registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("orleans."))
                .toList();
    }

    @Test
    void aSilosMetersAreRegisteredWithBoundedTags() {
        runner.run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(ActivationMetrics.class)
                    .hasSingleBean(MessagingMetrics.class)
                    .hasSingleBean(MembershipMetrics.class)
                    .hasSingleBean(GrainCallMetrics.class);
            String type = callWords(context);
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            assertThat(registry.get("orleans.activations")
                            .tag("grain.type", type)
                            .gauge()
                            .value())
                    .isEqualTo(3);
            assertThat(registry.get("orleans.activations.creations")
                            .tag("grain.type", type)
                            .functionCounter()
                            .count())
                    .isEqualTo(3);
            assertThat(registry.get("orleans.activations.collections")
                            .tag("grain.type", type)
                            .functionCounter()
                            .count())
                    .isZero();
            // On its own the silo exchanges no messages, yet the meters are there, at zero.
            assertThat(registry.get("orleans.messages.sent").functionCounter().count())
                    .isZero();
            assertThat(registry.get("orleans.messages.received")
                            .functionCounter()
                            .count())
                    .isZero();
            assertThat(registry.get("orleans.messages.rejected").functionCounters())
                    .extracting(counter -> counter.getId().getTag("reason"))
                    .containsExactlyInAnyOrder(
                            "handshake-mismatch",
                            "handshake-timeout",
                            "malformed-frame",
                            "oversized-frame",
                            "tls-handshake",
                            "silo-stopping",
                            "forged-sender",
                            "unmatched-response",
                            "unauthorized-request",
                            "misaddressed-request",
                            "hop-limit",
                            "expired-request",
                            "overloaded",
                            "connection-limit",
                            "idle-timeout",
                            "slow-frame",
                            "slow-reader",
                            "unanswered-ping",
                            "observer-gone",
                            "incompatible-version");
            assertThat(registry.get("orleans.membership.silos")
                            .tag("status", "active")
                            .gauge()
                            .value())
                    .isEqualTo(1);
            assertThat(registry.get("orleans.membership.silos")
                            .tag("status", "dead")
                            .gauge()
                            .value())
                    .isZero();
            assertThat(registry.find("orleans.directory.cache.hits").meters())
                    .as("only a cluster silo has a cache")
                    .isEmpty();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> registry
                                    .find("orleans.grain.calls")
                                    .tags("grain.type", type, "method", "echo", "outcome", "success")
                                    .timers()
                                    .stream()
                                    .mapToLong(Timer::count)
                                    .sum()
                            == 3);

            Set<String> tagKeys = orleansMeters(registry).stream()
                    .flatMap(m -> m.getId().getTags().stream())
                    .map(Tag::getKey)
                    .collect(Collectors.toSet());
            assertThat(tagKeys).containsExactlyInAnyOrder("grain.type", "method", "outcome", "reason", "status");
            Set<String> tagValues = orleansMeters(registry).stream()
                    .flatMap(m -> m.getId().getTags().stream())
                    .map(Tag::getValue)
                    .collect(Collectors.toSet());
            assertThat(tagValues).as("grain keys are never tags").doesNotContainAnyElementsOf(WORDS);
        });
    }

    @Test
    void grainCallsAreTimedByTypeMethodAndOutcome() {
        runner.run(context -> {
            String type = callWords(context);
            WordGrain grain = context.getBean(GrainFactory.class).getGrain(WordGrain.class, "apple");
            assertThatThrownBy(() -> grain.fail().join()).isInstanceOf(CompletionException.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(registry.get("orleans.grain.calls")
                                .tags("grain.type", type, "method", "echo", "outcome", "success")
                                .timer()
                                .count())
                        .isEqualTo(3);
                assertThat(registry.get("orleans.grain.calls")
                                .tags("grain.type", type, "method", "fail", "outcome", "failure")
                                .timer()
                                .count())
                        .isEqualTo(1);
            });
            Timer echo =
                    registry.get("orleans.grain.calls").tags("method", "echo").timer();
            assertThat(echo.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.find("orleans.grain.calls")
                            .tags("method", "fail", "outcome", "success")
                            .timers())
                    .isEmpty();
        });
    }

    @Test
    void histogramBucketsAreOffByDefault() {
        prometheus.run(context -> {
            String type = callWords(context);
            PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> registry.scrape()
                            .contains("orleans_grain_calls_seconds_count{grain_type=\"" + type + "\",method=\"echo\""));
            assertThat(registry.scrape()).doesNotContain("orleans_grain_calls_seconds_bucket");
        });
    }

    @Test
    void histogramBucketsAreOnWithTheProperty() {
        prometheus
                .withPropertyValues("orleans.metrics.grain-calls.histogram=true")
                .run(context -> {
                    String type = callWords(context);
                    PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> registry.scrape()
                                    .contains("orleans_grain_calls_seconds_count{grain_type=\"" + type
                                            + "\",method=\"echo\""));
                    assertThat(registry.scrape())
                            .contains(
                                    "# TYPE orleans_grain_calls_seconds histogram",
                                    "orleans_grain_calls_seconds_bucket{grain_type=\"" + type
                                            + "\",method=\"echo\",outcome=\"success\",le=\"+Inf\"} 3");
                });
    }

    @Test
    void aClusterSiloAlsoHasDirectoryCacheMeters() {
        runner.withConfiguration(AutoConfigurations.of(
                        DataSourceAutoConfiguration.class,
                        JdbcGrainStorageAutoConfiguration.class,
                        JdbcClusteringAutoConfiguration.class))
                .withPropertyValues(
                        H2Databases.springDataSourceUrl("metrics"),
                        "orleans.clustering.enabled=true",
                        "orleans.cluster.cluster-id=metrics-test",
                        "orleans.endpoints.silo-port=0",
                        "orleans.endpoints.gateway-port=0",
                        "orleans.endpoints.advertised-address=127.0.0.1",
                        "orleans.endpoints.listen-address=127.0.0.1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    callWords(context);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    // A first call looks in the cache and misses; the grain then lives here and is not cached.
                    assertThat(registry.get("orleans.directory.cache.misses")
                                    .functionCounter()
                                    .count())
                            .isGreaterThanOrEqualTo(WORDS.size());
                    assertThat(registry.get("orleans.directory.cache.hits").functionCounter())
                            .isNotNull();
                    assertThat(registry.get("orleans.membership.silos")
                                    .tag("status", "active")
                                    .gauge()
                                    .value())
                            .isEqualTo(1);
                });
    }

    @Test
    void prometheusShowsTheMetersUnderPrometheusNames() {
        prometheus.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(PrometheusMeterRegistry.class);
            String type = callWords(context);
            PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> registry.scrape()
                            .contains("orleans_grain_calls_seconds_count{grain_type=\"" + type
                                    + "\",method=\"echo\",outcome=\"success\"} 3"));
            assertThat(registry.scrape())
                    .contains(
                            "orleans_activations{grain_type=\"" + type + "\"} 3",
                            "orleans_activations_creations_total{grain_type=\"" + type + "\"} 3",
                            "orleans_activations_collections_total{grain_type=\"" + type + "\"} 0",
                            "orleans_messages_sent_total ",
                            "orleans_messages_received_total ",
                            "orleans_messages_rejected_total{reason=\"silo-stopping\"} 0",
                            "orleans_membership_silos{status=\"active\"} 1");
        });
    }

    @Test
    void withoutMicrometerThereAreNoMeters() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(Silo.class)
                    .doesNotHaveBean(GrainCallMetrics.class)
                    .doesNotHaveBean(ActivationMetrics.class);
            callWords(context);
        });
    }

    @Test
    void withoutASiloThereAreNoMeters() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class,
                        OrleansMetricsAutoConfiguration.class))
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(MeterRegistry.class)
                        .doesNotHaveBean(GrainCallMetrics.class)
                        .doesNotHaveBean(ActivationMetrics.class));
    }

    @Test
    void orleansMetricsEnabledFalseTurnsThemOff() {
        runner.withPropertyValues("orleans.metrics.enabled=false").run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(MeterRegistry.class)
                    .doesNotHaveBean(GrainCallMetrics.class)
                    .doesNotHaveBean(ActivationMetrics.class)
                    .doesNotHaveBean(MessagingMetrics.class)
                    .doesNotHaveBean(MembershipMetrics.class)
                    .doesNotHaveBean(DirectoryCacheMetrics.class);
            callWords(context);
            assertThat(orleansMeters(context.getBean(MeterRegistry.class))).isEmpty();
        });
    }

    @Test
    void springBootsMeterFilterCanTurnThemOffToo() {
        runner.withPropertyValues("management.metrics.enable.orleans=false").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ActivationMetrics.class);
            callWords(context);
            assertThat(orleansMeters(context.getBean(MeterRegistry.class))).isEmpty();
        });
    }
}
