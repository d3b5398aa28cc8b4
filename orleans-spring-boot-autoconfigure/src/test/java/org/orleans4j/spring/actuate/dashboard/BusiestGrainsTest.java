package org.orleans4j.spring.actuate.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainId;
import org.orleans4j.spring.actuate.dashboard.BusiestGrains.Hot;

/** The busiest grains: heavy hitters found among many grains, in bounded memory, fading when idle. */
class BusiestGrainsTest {

    private static GrainId grain(String key) {
        return GrainId.ofString("entry", key);
    }

    @Test
    void exactForFewGrains() {
        BusiestGrains busiest = new BusiestGrains(1);
        for (int i = 0; i < 5; i++) {
            busiest.record(grain("a"));
        }
        busiest.record(grain("b"));
        busiest.record(grain("b"));
        busiest.record(grain("c"));
        assertThat(busiest.top(2)).containsExactly(new Hot(grain("a"), 5), new Hot(grain("b"), 2));
    }

    @Test
    void theHeavyHittersStandOutOfAMillionCallsToHundredThousandGrains() {
        BusiestGrains busiest = new BusiestGrains(1);
        Random random = new Random(7);
        List<GrainId> cold = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            cold.add(grain("cold-" + i));
        }
        for (int call = 0; call < 1_000_000; call++) {
            int pick = random.nextInt(100);
            if (pick < 5) {
                busiest.record(grain("hot-" + pick)); // 5 grains, 1 % of the calls each
            } else {
                busiest.record(cold.get(random.nextInt(cold.size())));
            }
        }
        List<Hot> top = busiest.top(5);
        assertThat(top)
                .extracting(hot -> hot.grain().key())
                .containsExactlyInAnyOrder("hot-0", "hot-1", "hot-2", "hot-3", "hot-4");
        assertThat(top)
                .allSatisfy(hot ->
                        assertThat(hot.calls()).as("a lower bound of 10,000").isBetween(5_000L, 10_500L));
    }

    @Test
    void countsFadeByASixthPerBucketAndIdleGrainsDropOut() {
        BusiestGrains busiest = new BusiestGrains(2);
        for (int i = 0; i < 600; i++) {
            busiest.record(grain("a"));
        }
        busiest.record(grain("b"));
        busiest.decayTo(1);
        assertThat(busiest.top(5)).containsExactly(new Hot(grain("a"), 500), new Hot(grain("b"), 1));
        busiest.decayTo(1);
        assertThat(busiest.top(5))
                .as("once per bucket")
                .containsExactly(new Hot(grain("a"), 500), new Hot(grain("b"), 1));
        busiest.decayTo(4);
        assertThat(busiest.top(5))
                .as("b's single call is under half a call after four buckets")
                .containsExactly(new Hot(grain("a"), 289));
        busiest.decayTo(60);
        assertThat(busiest.top(5)).isEmpty();
    }

    @Test
    void threadsOnSeveralStripesAddUp() throws Exception {
        BusiestGrains busiest = new BusiestGrains(4);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    busiest.record(grain("shared"));
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(busiest.top(1)).containsExactly(new Hot(grain("shared"), 400_000));
    }
}
