package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;

class OrderedWaitsTest {

    private static final GrainId A = GrainId.ofString("listener", "a");
    private static final GrainId B = GrainId.ofString("listener", "b");

    private final List<CompletableFuture<@Nullable GrainAddress>> lookups = new ArrayList<>();
    private final List<String> routed = new ArrayList<>();
    private OrderedWaits<GrainId, @Nullable GrainAddress, String> ordered = new OrderedWaits<>(
            grain -> {
                CompletableFuture<@Nullable GrainAddress> lookup = new CompletableFuture<>();
                lookups.add(lookup);
                return lookup;
            },
            (call, found) -> routed.add(call + (found.isCompletedExceptionally() ? "!" : "")));

    @Test
    void callsToOneGrainShareOneLookupAndAreRoutedInTheOrderTheyWereMade() {
        for (int i = 0; i < 10; i++) {
            ordered.add(A, "a" + i);
        }
        ordered.add(B, "b0");
        assertThat(lookups).as("one lookup per grain").hasSize(2);
        assertThat(ordered.hasWaiting(A)).isTrue();

        lookups.get(1).complete(null);
        lookups.get(0).complete(new GrainAddress(A, new SiloAddress("127.0.0.1", 11111, 1), "x"));

        assertThat(routed).containsExactly("b0", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9");
        assertThat(ordered.hasWaiting(A)).isFalse();
        assertThat(ordered.hasWaiting(B)).isFalse();
    }

    @Test
    void aCallMadeWhileTheWaitingOnesAreRoutedGoesAfterThem() {
        List<String> seen = new ArrayList<>();
        ordered = new OrderedWaits<>(
                grain -> {
                    CompletableFuture<@Nullable GrainAddress> lookup = new CompletableFuture<>();
                    lookups.add(lookup);
                    return lookup;
                },
                (call, found) -> {
                    seen.add(call);
                    if (call.equals("a0")) {
                        // Routing a0 makes another call to the same grain (a grain's turn, say): it waits its turn.
                        ordered.add(A, "a2");
                    }
                });
        ordered.add(A, "a0");
        ordered.add(A, "a1");
        lookups.get(0).complete(null);
        assertThat(seen).containsExactly("a0", "a1", "a2");
        assertThat(lookups).as("the later call used the same answer").hasSize(1);
        assertThat(ordered.hasWaiting(A)).isFalse();
    }

    @Test
    void aFailedLookupRoutesEveryWaitingCallWithTheFailure() {
        ordered.add(A, "a0");
        ordered.add(A, "a1");
        lookups.get(0).completeExceptionally(new IllegalStateException("directory unavailable"));
        assertThat(routed).containsExactly("a0!", "a1!");
        // The next call looks up again.
        ordered.add(A, "a2");
        assertThat(lookups).hasSize(2);
    }
}
