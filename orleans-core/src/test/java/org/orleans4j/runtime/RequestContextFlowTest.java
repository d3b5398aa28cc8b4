package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.RequestContext;

/** Values of the caller's {@link RequestContext} reach the grain and every call it makes, from continuations too. */
class RequestContextFlowTest {

    interface Front extends GrainWithStringKey {
        /** What the back grain saw: called before, after a grain call, after a delay, and from the executor. */
        CompletableFuture<String> relay();
    }

    interface Back extends GrainWithStringKey {
        CompletableFuture<String> seen();
    }

    static class FrontGrain extends GrainBase implements Front {
        @Override
        public CompletableFuture<String> relay() {
            Back back = grainFactory().getGrain(Back.class, "b");
            CompletableFuture<Void> delay =
                    CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
            CompletableFuture<String> fromExecutor = new CompletableFuture<>();
            context().executor().execute(() -> back.seen().thenAccept(fromExecutor::complete));
            return back.seen()
                    .thenCompose(first -> back.seen().thenApply(second -> first + "," + second))
                    .thenCompose(two ->
                            resume(delay).thenCompose(ignored -> back.seen()).thenApply(third -> two + "," + third))
                    .thenCombine(fromExecutor, (three, fourth) -> three + "," + fourth);
        }
    }

    static class BackGrain extends GrainBase implements Back {
        @Override
        public CompletableFuture<String> seen() {
            return CompletableFuture.completedFuture(String.valueOf(RequestContext.get("tenant")));
        }
    }

    private Silo silo;

    @BeforeEach
    void start() {
        silo = StandaloneSilos.start(b -> b.addGrainClass(FrontGrain.class).addGrainClass(BackGrain.class));
    }

    @AfterEach
    void stop() {
        RequestContext.clear();
        silo.stop(Duration.ofSeconds(5));
    }

    @Test
    void contextSetBeforeACallFlowsThroughTheGrainsContinuations() {
        RequestContext.set("tenant", "acme");
        CompletableFuture<String> seen =
                silo.grainFactory().getGrain(Front.class, "f").relay();
        RequestContext.clear();

        assertThat(seen.join()).isEqualTo("acme,acme,acme,acme");
    }

    @Test
    void aCallWithoutContextCarriesNone() {
        RequestContext.set("tenant", "acme");
        silo.grainFactory().getGrain(Front.class, "g").relay().join();
        RequestContext.clear();

        assertThat(silo.grainFactory().getGrain(Front.class, "g").relay().join())
                .isEqualTo("null,null,null,null");
    }
}
