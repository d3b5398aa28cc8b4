package org.orleans4j.spring.actuate.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.orleans4j.catalog.GrainCallObserver;

/**
 * The grain calls made through this silo over the last five minutes, in ten-second buckets: per grain
 * type the calls, failures and a latency histogram, per method the calls and failures. The silo tells
 * it of every call it makes ({@link GrainCallObserver}); the dashboard reads it on each poll.
 *
 * <h2>Cost per call</h2>
 * Two {@link ConcurrentHashMap} reads (the grain type, then the method: their strings are the silo's
 * metadata, so their hashes are cached and equality is an identity check), one volatile read of the
 * current bucket, and two or four atomic increments, with no allocation and no lock. The counters are
 * striped by thread, so the threads that hand responses back (turn threads, event loops) mostly write
 * cache lines of their own.
 *
 * <h2>Memory</h2>
 * Bounded by the grain types and methods, not the calls: per grain type {@code stripes × 32 × 55}
 * longs (at most 8 stripes: 110 KiB), per method {@code stripes × 32 × 2} longs (4 KiB). At most
 * {@value #MAX_GRAIN_TYPES} grain types and {@value #MAX_METHODS} methods per type are kept apart;
 * calls beyond count as {@value #OTHER}.
 *
 * <h2>Buckets</h2>
 * A ring of {@value #SLOTS} slots holds the {@value #WINDOW_BUCKETS} buckets of the window, the
 * current one included, plus spare slots: {@link #advance} (a ticker, every second) publishes the
 * current bucket, and clears the slot of the next bucket before that one becomes current, so writers
 * never clear anything.
 */
public final class GrainCallStatistics implements GrainCallObserver {

    /** Buckets in the window, the current (partial) one included: five minutes. */
    static final int WINDOW_BUCKETS = 30;
    /** Slots of the ring: a power of two larger than the window, so the next bucket's slot is not in it. */
    static final int SLOTS = 32;

    static final long BUCKET_NANOS = 10_000_000_000L;
    static final int MAX_GRAIN_TYPES = 256;
    static final int MAX_METHODS = 256;
    static final String OTHER = "(other)";

    /** Per grain type: the latency bins, then the failures. */
    private static final int TYPE_STRIDE = LatencyBins.COUNT + 1;

    private static final int FAILURES = LatencyBins.COUNT;
    /** Per method: calls, failures. */
    private static final int METHOD_STRIDE = 2;

    private final int stripes;
    private final int stripeMask;
    private final long originNanos;
    private final long originMillis;
    private final ConcurrentHashMap<String, TypeCounters> types = new ConcurrentHashMap<>();
    /** The current bucket's number, counted in buckets since {@link #originNanos}; written by {@link #advance}. */
    private volatile long epoch;

    /**
     * @param stripes how many threads may count without sharing counters (rounded up to a power of two)
     * @param originNanos {@link System#nanoTime()} at the start of bucket 0
     * @param originMillis the wall-clock time at {@code originNanos}
     */
    GrainCallStatistics(int stripes, long originNanos, long originMillis) {
        this.stripes = stripes <= 1 ? 1 : Integer.highestOneBit(stripes - 1) << 1;
        this.stripeMask = this.stripes - 1;
        this.originNanos = originNanos;
        this.originMillis = originMillis;
    }

    /** Stripes for this machine: its processors, rounded up to a power of two, at most 8. */
    public static GrainCallStatistics startingNow() {
        int stripes = Math.min(8, Runtime.getRuntime().availableProcessors());
        return new GrainCallStatistics(stripes, System.nanoTime(), System.currentTimeMillis());
    }

    int stripes() {
        return stripes;
    }

    @Override
    public void observe(String grainType, String method, long nanos, boolean failed) {
        int slot = (int) epoch & (SLOTS - 1);
        int stripe = (int) Thread.currentThread().threadId() & stripeMask;
        TypeCounters type = type(grainType);
        type.record(slot, stripe, nanos, failed);
        type.method(method).record(slot, stripe, failed);
    }

    private TypeCounters type(String grainType) {
        TypeCounters counters = types.get(grainType);
        if (counters != null) {
            return counters;
        }
        String key = types.size() < MAX_GRAIN_TYPES ? grainType : OTHER;
        return types.computeIfAbsent(key, name -> new TypeCounters(name, stripes));
    }

    /** The current bucket's number (buckets since the statistics started). */
    long epoch() {
        return epoch;
    }

    /**
     * Makes the bucket of {@code nowNanos} current. Only the ticker calls it (and tests); it clears the
     * slots the new current bucket skipped, and the next bucket's, so that one starts empty.
     *
     * @return the current bucket's number
     */
    synchronized long advance(long nowNanos) {
        long now = Math.max(0, (nowNanos - originNanos) / BUCKET_NANOS);
        long previous = epoch;
        if (now <= previous) {
            return previous;
        }
        // Buckets skipped (the ticker stalled): their slots still hold what is a full ring old.
        for (long skipped = previous + 2; skipped <= now && skipped <= previous + SLOTS; skipped++) {
            clear((int) skipped & (SLOTS - 1));
        }
        epoch = now;
        clear((int) (now + 1) & (SLOTS - 1));
        return now;
    }

    private void clear(int slot) {
        for (TypeCounters type : types.values()) {
            type.clear(slot);
        }
    }

    /** The window as of {@code nowNanos}: oldest bucket first, the current (partial) one last. */
    Window read(long nowNanos) {
        long current = epoch;
        long first = current - WINDOW_BUCKETS + 1;
        long[] startMillis = new long[WINDOW_BUCKETS];
        double[] seconds = new double[WINDOW_BUCKETS];
        for (int i = 0; i < WINDOW_BUCKETS; i++) {
            long bucket = first + i;
            startMillis[i] = originMillis + bucket * (BUCKET_NANOS / 1_000_000);
            if (bucket < 0) {
                seconds[i] = 0; // before the silo started
            } else if (bucket < current) {
                seconds[i] = BUCKET_NANOS / 1e9;
            } else {
                long elapsed = nowNanos - (originNanos + current * BUCKET_NANOS);
                seconds[i] = Math.max(0.001, elapsed / 1e9);
            }
        }
        List<TypeWindow> windows = new ArrayList<>(types.size());
        for (TypeCounters type : types.values()) {
            windows.add(type.read(first));
        }
        return new Window(startMillis, seconds, windows);
    }

    /**
     * The buckets of the window, index 0 the oldest.
     *
     * @param startMillis when each bucket started (wall clock)
     * @param seconds how long each bucket counted: 10 s, what has passed of the current one, 0 for those
     *        before the start
     */
    record Window(long[] startMillis, double[] seconds, List<TypeWindow> types) {}

    /**
     * One grain type's buckets.
     *
     * @param bins per bucket, the latency bins of its calls (failed ones included)
     * @param failures per bucket, its failed calls
     */
    record TypeWindow(String type, long[][] bins, long[] failures, List<MethodWindow> methods) {

        long calls(int bucket) {
            long sum = 0;
            for (long count : bins[bucket]) {
                sum += count;
            }
            return sum;
        }
    }

    /** One method's calls and failed calls per bucket. */
    record MethodWindow(String method, long[] calls, long[] failures) {}

    private static int index(int stripe, int slot, int stride) {
        return (stripe * SLOTS + slot) * stride;
    }

    /**
     * One grain type's counters: stripe-major, so each stripe's slots are contiguous and stripes share no
     * cache line but at the edges of their blocks.
     */
    private static final class TypeCounters {

        private final String name;
        private final int stripes;
        private final AtomicLongArray cells;
        private final ConcurrentHashMap<String, MethodCounters> methods = new ConcurrentHashMap<>();

        TypeCounters(String name, int stripes) {
            this.name = name;
            this.stripes = stripes;
            this.cells = new AtomicLongArray(stripes * SLOTS * TYPE_STRIDE);
        }

        void record(int slot, int stripe, long nanos, boolean failed) {
            int base = index(stripe, slot, TYPE_STRIDE);
            cells.getAndIncrement(base + LatencyBins.of(nanos));
            if (failed) {
                cells.getAndIncrement(base + FAILURES);
            }
        }

        MethodCounters method(String method) {
            MethodCounters counters = methods.get(method);
            if (counters != null) {
                return counters;
            }
            String key = methods.size() < MAX_METHODS ? method : OTHER;
            return methods.computeIfAbsent(key, m -> new MethodCounters(m, stripes));
        }

        void clear(int slot) {
            for (int stripe = 0; stripe < stripes; stripe++) {
                int base = index(stripe, slot, TYPE_STRIDE);
                for (int field = 0; field < TYPE_STRIDE; field++) {
                    cells.setOpaque(base + field, 0);
                }
            }
            for (MethodCounters method : methods.values()) {
                method.clear(slot);
            }
        }

        TypeWindow read(long firstBucket) {
            long[][] bins = new long[WINDOW_BUCKETS][LatencyBins.COUNT];
            long[] failures = new long[WINDOW_BUCKETS];
            for (int i = 0; i < WINDOW_BUCKETS; i++) {
                long bucket = firstBucket + i;
                if (bucket < 0) {
                    continue;
                }
                int slot = (int) bucket & (SLOTS - 1);
                for (int stripe = 0; stripe < stripes; stripe++) {
                    int base = index(stripe, slot, TYPE_STRIDE);
                    for (int bin = 0; bin < LatencyBins.COUNT; bin++) {
                        bins[i][bin] += cells.getOpaque(base + bin);
                    }
                    failures[i] += cells.getOpaque(base + FAILURES);
                }
            }
            List<MethodWindow> methodWindows = new ArrayList<>(methods.size());
            for (Map.Entry<String, MethodCounters> method : methods.entrySet()) {
                methodWindows.add(method.getValue().read(firstBucket));
            }
            return new TypeWindow(name, bins, failures, methodWindows);
        }
    }

    /** One method's counters, laid out as the type's. */
    private static final class MethodCounters {

        private final String name;
        private final int stripes;
        private final AtomicLongArray cells;

        MethodCounters(String name, int stripes) {
            this.name = name;
            this.stripes = stripes;
            this.cells = new AtomicLongArray(stripes * SLOTS * METHOD_STRIDE);
        }

        void record(int slot, int stripe, boolean failed) {
            int base = index(stripe, slot, METHOD_STRIDE);
            cells.getAndIncrement(base);
            if (failed) {
                cells.getAndIncrement(base + 1);
            }
        }

        void clear(int slot) {
            for (int stripe = 0; stripe < stripes; stripe++) {
                int base = index(stripe, slot, METHOD_STRIDE);
                cells.setOpaque(base, 0);
                cells.setOpaque(base + 1, 0);
            }
        }

        MethodWindow read(long firstBucket) {
            long[] calls = new long[WINDOW_BUCKETS];
            long[] failures = new long[WINDOW_BUCKETS];
            for (int i = 0; i < WINDOW_BUCKETS; i++) {
                long bucket = firstBucket + i;
                if (bucket < 0) {
                    continue;
                }
                int slot = (int) bucket & (SLOTS - 1);
                for (int stripe = 0; stripe < stripes; stripe++) {
                    int base = index(stripe, slot, METHOD_STRIDE);
                    calls[i] += cells.getOpaque(base);
                    failures[i] += cells.getOpaque(base + 1);
                }
            }
            return new MethodWindow(name, calls, failures);
        }
    }
}
