package org.orleans4j.spring.actuate.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.orleans4j.spring.actuate.dashboard.GrainCallStatistics.MethodWindow;
import org.orleans4j.spring.actuate.dashboard.GrainCallStatistics.TypeWindow;
import org.orleans4j.spring.actuate.dashboard.GrainCallStatistics.Window;

/** The call statistics' window: buckets that move with the ticker, bounded keys, no lost counts. */
class GrainCallStatisticsTest {

    private static final long BUCKET = GrainCallStatistics.BUCKET_NANOS;
    private static final long ORIGIN_NANOS = 1_000_000_000L;
    private static final long ORIGIN_MILLIS = 1_800_000_000_000L;

    private final GrainCallStatistics statistics = new GrainCallStatistics(4, ORIGIN_NANOS, ORIGIN_MILLIS);

    private static TypeWindow type(Window window, String name) {
        return window.types().stream()
                .filter(t -> t.type().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static long[] calls(TypeWindow type) {
        long[] calls = new long[GrainCallStatistics.WINDOW_BUCKETS];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = type.calls(i);
        }
        return calls;
    }

    @Test
    void stripesAreAPowerOfTwo() {
        assertThat(new GrainCallStatistics(1, 0, 0).stripes()).isEqualTo(1);
        assertThat(new GrainCallStatistics(2, 0, 0).stripes()).isEqualTo(2);
        assertThat(new GrainCallStatistics(3, 0, 0).stripes()).isEqualTo(4);
        assertThat(new GrainCallStatistics(8, 0, 0).stripes()).isEqualTo(8);
    }

    @Test
    void callsLandInTheCurrentBucketAndMoveBackAsTheTickerAdvances() {
        statistics.observe("entry", "get", 2_000_000, false);
        statistics.observe("entry", "get", 3_000_000, true);
        Window first = statistics.read(ORIGIN_NANOS + BUCKET / 2);
        TypeWindow entry = type(first, "entry");
        assertThat(calls(entry)[29]).isEqualTo(2);
        assertThat(entry.failures()[29]).isEqualTo(1);
        assertThat(first.seconds()[29]).isEqualTo(5.0);
        assertThat(first.seconds()[28]).as("before the start").isZero();
        assertThat(first.startMillis()[29]).isEqualTo(ORIGIN_MILLIS);

        assertThat(statistics.advance(ORIGIN_NANOS + BUCKET + 1)).isEqualTo(1);
        statistics.observe("entry", "set", 1_000_000, false);
        Window second = statistics.read(ORIGIN_NANOS + BUCKET + BUCKET / 10);
        entry = type(second, "entry");
        assertThat(calls(entry)[28]).isEqualTo(2);
        assertThat(calls(entry)[29]).isEqualTo(1);
        assertThat(second.seconds()[28]).isEqualTo(10.0);
        assertThat(second.seconds()[29]).isEqualTo(1.0);
        assertThat(second.startMillis()[29]).isEqualTo(ORIGIN_MILLIS + 10_000);
        assertThat(entry.methods()).extracting(MethodWindow::method).containsExactlyInAnyOrder("get", "set");
    }

    @Test
    void aBucketOlderThanTheWindowIsClearedBeforeItsSlotIsUsedAgain() {
        statistics.observe("entry", "get", 1_000, false);
        for (int bucket = 1; bucket <= 29; bucket++) {
            statistics.advance(ORIGIN_NANOS + bucket * BUCKET);
        }
        assertThat(calls(type(statistics.read(ORIGIN_NANOS + 29 * BUCKET), "entry"))[0])
                .as("the oldest bucket of the window")
                .isEqualTo(1);
        statistics.advance(ORIGIN_NANOS + 30 * BUCKET);
        statistics.observe("entry", "get", 1_000, false);
        long[] calls = calls(type(statistics.read(ORIGIN_NANOS + 30 * BUCKET), "entry"));
        assertThat(calls).containsOnly(0, 1);
        assertThat(calls[29]).isEqualTo(1);
        assertThat(java.util.Arrays.stream(calls).sum()).isEqualTo(1);
        // Around the ring once more, skipping buckets as a stalled ticker would.
        statistics.advance(ORIGIN_NANOS + 61 * BUCKET);
        statistics.observe("entry", "get", 1_000, false);
        assertThat(java.util.Arrays.stream(calls(type(statistics.read(ORIGIN_NANOS + 61 * BUCKET), "entry")))
                        .sum())
                .isEqualTo(1);
        statistics.advance(ORIGIN_NANOS + 500 * BUCKET);
        assertThat(java.util.Arrays.stream(calls(type(statistics.read(ORIGIN_NANOS + 500 * BUCKET), "entry")))
                        .sum())
                .isZero();
    }

    @Test
    void grainTypesAndMethodsAreBounded() {
        for (int i = 0; i < GrainCallStatistics.MAX_GRAIN_TYPES + 50; i++) {
            statistics.observe("type" + i, "m", 1_000, false);
        }
        for (int i = 0; i < GrainCallStatistics.MAX_METHODS + 50; i++) {
            statistics.observe("type0", "m" + i, 1_000, false);
        }
        Window window = statistics.read(ORIGIN_NANOS + 1);
        assertThat(window.types()).hasSize(GrainCallStatistics.MAX_GRAIN_TYPES + 1);
        assertThat(calls(type(window, GrainCallStatistics.OTHER))[29]).isEqualTo(50);
        assertThat(type(window, "type0").methods()).hasSize(GrainCallStatistics.MAX_METHODS + 1);
    }

    @Test
    void concurrentCallsAreAllCounted() throws Exception {
        int threads = 8;
        int perThread = 100_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            boolean fail = t % 2 == 0;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perThread; i++) {
                    statistics.observe("entry", "get", 1_000 + i, fail && i % 10 == 0);
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        TypeWindow entry = type(statistics.read(ORIGIN_NANOS + 1), "entry");
        assertThat(entry.calls(29)).isEqualTo((long) threads * perThread);
        assertThat(entry.failures()[29]).isEqualTo((threads / 2) * (perThread / 10L));
    }

    @Test
    void percentilesComeFromTheBinsWithinABinsWidth() {
        long[] bins = new long[LatencyBins.COUNT];
        for (int ms = 1; ms <= 100; ms++) {
            bins[LatencyBins.of(ms * 1_000_000L)]++;
        }
        assertThat(LatencyBins.percentileMillis(bins, 0.5)).isBetween(50 * 0.75, 50 * 1.34);
        assertThat(LatencyBins.percentileMillis(bins, 0.99)).isBetween(99 * 0.75, 99 * 1.34);
        assertThat(LatencyBins.percentileMillis(new long[LatencyBins.COUNT], 0.5))
                .isNull();
    }

    @Test
    void binsCoverEveryDuration() {
        assertThat(LatencyBins.of(0)).isZero();
        assertThat(LatencyBins.of(1023)).isZero();
        assertThat(LatencyBins.of(Long.MAX_VALUE)).isEqualTo(LatencyBins.COUNT - 1);
        for (long nanos = 1024; nanos < (1L << 36); nanos = nanos * 5 / 4 + 1) {
            int bin = LatencyBins.of(nanos);
            assertThat(nanos).isBetween(LatencyBins.lowerBound(bin), LatencyBins.upperBound(bin) - 1);
        }
        for (int bin = 0; bin < LatencyBins.COUNT - 1; bin++) {
            assertThat(LatencyBins.upperBound(bin)).isEqualTo(LatencyBins.lowerBound(bin + 1));
        }
    }
}
