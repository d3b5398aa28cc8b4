package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.calls.IncomingGrainCallContext;
import org.orleans4j.calls.IncomingGrainCallFilter;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.RequestContext;

/** Incoming and outgoing call filters of a silo, in order, around local calls. */
class CallFilterTest {

    static final Queue<String> LOG = new ConcurrentLinkedQueue<>();

    interface Echo extends GrainWithStringKey {
        CompletableFuture<String> echo(String text);

        CompletableFuture<String> secret();

        CompletableFuture<String> failing();

        /** Calls another echo grain, then (from the continuation) a third: what each saw as tenant. */
        CompletableFuture<String> relayTenant(String other, String third);

        CompletableFuture<String> tenant();
    }

    static class EchoGrain extends GrainBase implements Echo {
        @Override
        public CompletableFuture<String> echo(String text) {
            LOG.add("grain:echo(" + text + ")");
            return CompletableFuture.completedFuture(text);
        }

        @Override
        public CompletableFuture<String> secret() {
            LOG.add("grain:secret");
            return CompletableFuture.completedFuture("the secret");
        }

        @Override
        public CompletableFuture<String> failing() {
            return CompletableFuture.failedFuture(new IllegalStateException("grain failed"));
        }

        @Override
        public CompletableFuture<String> relayTenant(String other, String third) {
            Echo second = grainFactory().getGrain(Echo.class, other);
            return second.tenant()
                    .thenCompose(seen -> grainFactory()
                            .getGrain(Echo.class, third)
                            .tenant()
                            .thenApply(thirdSeen -> RequestContext.get("tenant") + "," + seen + "," + thirdSeen));
        }

        @Override
        public CompletableFuture<String> tenant() {
            return CompletableFuture.completedFuture(String.valueOf(RequestContext.get("tenant")));
        }
    }

    interface Guarded extends GrainWithStringKey {
        CompletableFuture<String> hello(String name);
    }

    /** Filters the calls to its own activations, after the silo's filters. */
    static class GuardedGrain extends GrainBase implements Guarded, IncomingGrainCallFilter {
        @Override
        public CompletableFuture<String> hello(String name) {
            return CompletableFuture.completedFuture("hello " + name);
        }

        @Override
        public CompletionStage<@Nullable Object> onIncomingCall(IncomingGrainCallContext call) {
            LOG.add("own:" + call.method().getName() + " on " + (call.grain() == this ? "this" : "another"));
            return call.proceed().thenApply(result -> result + "!");
        }
    }

    private Silo silo;

    @BeforeEach
    void start() {
        LOG.clear();
        silo = StandaloneSilos.start(b -> b.addGrainClass(EchoGrain.class)
                .addGrainClass(GuardedGrain.class)
                .addIncomingCallFilter(call -> {
                    LOG.add("first:" + call.interfaceType().getSimpleName() + "."
                            + call.method().getName() + List.of(call.arguments()) + " on "
                            + call.grainId().key());
                    if (call.method().getName().equals("secret")) {
                        return CompletableFuture.completedFuture("refused");
                    }
                    return call.proceed();
                })
                .addIncomingCallFilter(call -> {
                    LOG.add("second:" + call.method().getName());
                    if (call.method().getName().equals("echo")) {
                        call.arguments()[0] = call.arguments()[0] + "+";
                        return call.proceed().thenApply(result -> "[" + result + "]");
                    }
                    return call.proceed();
                })
                .addOutgoingCallFilter(call -> {
                    if (call.method().getName().equals("relayTenant")) {
                        RequestContext.set("tenant", "acme");
                        try {
                            return call.proceed();
                        } finally {
                            RequestContext.remove("tenant");
                        }
                    }
                    return call.proceed();
                }));
    }

    @AfterEach
    void stop() {
        RequestContext.clear();
        silo.stop(Duration.ofSeconds(5));
    }

    private Echo echo(String key) {
        return silo.grainFactory().getGrain(Echo.class, key);
    }

    @Test
    void incomingFiltersSeeTheCallRunInOrderAndMayChangeArgumentsAndResult() {
        assertThat(echo("e").echo("hi").join()).isEqualTo("[hi+]");

        assertThat(List.copyOf(LOG)).containsExactly("first:Echo.echo[hi] on e", "second:echo", "grain:echo(hi+)");
    }

    @Test
    void aFilterMayAnswerACallItselfAndTheGrainNeverRunsIt() {
        assertThat(echo("s").secret().join()).isEqualTo("refused");

        assertThat(List.copyOf(LOG)).containsExactly("first:Echo.secret[] on s");
    }

    @Test
    void aGrainsFailureReachesTheCallerThroughTheFilters() {
        assertThatThrownBy(() -> echo("f").failing().join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("grain failed");
    }

    @Test
    void aGrainThatIsAFilterFiltersItsOwnCallsAfterTheSilosFilters() {
        assertThat(silo.grainFactory().getGrain(Guarded.class, "g").hello("ann").join())
                .isEqualTo("hello ann!");

        assertThat(List.copyOf(LOG))
                .containsExactly("first:Guarded.hello[ann] on g", "second:hello", "own:hello on this");
    }

    @Test
    void anOutgoingFiltersRequestContextReachesTheGrainAndTheCallsOfItsContinuations() {
        assertThat(echo("r").relayTenant("r2", "r3").join()).isEqualTo("acme,acme,acme");
        assertThat(RequestContext.get("tenant"))
                .as("the filter removed it on the caller's side")
                .isNull();
    }
}
