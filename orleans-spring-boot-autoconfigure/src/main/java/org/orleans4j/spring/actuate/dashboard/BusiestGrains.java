package org.orleans4j.spring.actuate.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.orleans4j.grain.GrainId;

/**
 * The grains called most on this silo lately, in bounded memory however many grains there are: a
 * Space-Saving sketch (Metwally et al.), made set-associative so that a call costs a hash and at most
 * four comparisons, never a scan. Each stripe (threads hash to one) holds {@value #SETS} sets of
 * {@value #WAYS} counters; a grain not held takes the smallest counter of its set, starting from that
 * counter's count, which it records as its possible overcount. A grain called more often than a set's
 * share of the other calls keeps its counter; a rarely called one is pushed out.
 * <p>
 * "Lately": every bucket (10 s) each count loses a sixth, so in a steady state a count is about the
 * calls of the last minute (the sum of {@code r·10 s·(5/6)^k}). Counts are kept in 1/{@value #UNIT}
 * of a call so that small ones fade smoothly too; a count below a twentieth of a call is dropped (a
 * single call after about three minutes), and its {@link GrainId} released.
 * <p>
 * A stripe is guarded by a spin flag held for a few dozen instructions; nothing is allocated per call.
 * Memory: {@code stripes × 256} counters (a grain id reference and two longs each).
 */
final class BusiestGrains {

    static final int SETS = 64;
    static final int WAYS = 4;
    /** One call, in the fixed-point units the counts are kept in. */
    static final long UNIT = 256;
    /** Counts below this (a twentieth of a call) are dropped when they decay. */
    private static final long NEGLIGIBLE = UNIT / 20;

    private final Stripe[] stripes;
    private final int stripeMask;
    private long decayedEpoch;

    BusiestGrains(int stripes) {
        int count = stripes <= 1 ? 1 : Integer.highestOneBit(stripes - 1) << 1;
        this.stripes = new Stripe[count];
        for (int i = 0; i < count; i++) {
            this.stripes[i] = new Stripe();
        }
        this.stripeMask = count - 1;
    }

    /** Counts one call of {@code grain}. */
    void record(GrainId grain) {
        Stripe stripe = stripes[(int) Thread.currentThread().threadId() & stripeMask];
        int hash = grain.hashCode();
        int set = ((hash ^ (hash >>> 16)) & (SETS - 1)) * WAYS;
        stripe.lock();
        try {
            GrainId[] ids = stripe.ids;
            long[] counts = stripe.counts;
            int smallest = set;
            for (int way = set; way < set + WAYS; way++) {
                GrainId held = ids[way];
                if (held == grain || (held != null && held.equals(grain))) {
                    counts[way] += UNIT;
                    return;
                }
                if (counts[way] < counts[smallest]) {
                    smallest = way;
                }
            }
            long overcount = counts[smallest];
            ids[smallest] = grain;
            counts[smallest] = overcount + UNIT;
            stripe.overcounts[smallest] = overcount;
        } finally {
            stripe.unlock();
        }
    }

    /** Takes a sixth off every count for each bucket since the last call; the ticker calls it. */
    synchronized void decayTo(long epoch) {
        long steps = Math.min(epoch - decayedEpoch, 64);
        decayedEpoch = Math.max(decayedEpoch, epoch);
        for (long step = 0; step < steps; step++) {
            for (Stripe stripe : stripes) {
                stripe.lock();
                try {
                    stripe.decay();
                } finally {
                    stripe.unlock();
                }
            }
        }
    }

    /**
     * The {@code limit} grains with the most calls counted, most first: the count of each is a lower bound
     * (its possible overcount taken off), summed over the stripes, rounded to whole calls; those that round
     * to none are left out.
     */
    List<Hot> top(int limit) {
        Map<GrainId, long[]> merged = new HashMap<>();
        for (Stripe stripe : stripes) {
            GrainId[] ids = new GrainId[SETS * WAYS];
            long[] counts = new long[SETS * WAYS];
            long[] overcounts = new long[SETS * WAYS];
            stripe.lock();
            try {
                System.arraycopy(stripe.ids, 0, ids, 0, ids.length);
                System.arraycopy(stripe.counts, 0, counts, 0, counts.length);
                System.arraycopy(stripe.overcounts, 0, overcounts, 0, overcounts.length);
            } finally {
                stripe.unlock();
            }
            for (int i = 0; i < ids.length; i++) {
                long guaranteed = counts[i] - overcounts[i];
                if (ids[i] != null && guaranteed > 0) {
                    merged.computeIfAbsent(ids[i], id -> new long[1])[0] += guaranteed;
                }
            }
        }
        List<Hot> all = new ArrayList<>(merged.size());
        merged.forEach((grain, count) -> {
            long calls = Math.round(count[0] / (double) UNIT);
            if (calls > 0) {
                all.add(new Hot(grain, calls));
            }
        });
        all.sort(Comparator.comparingLong(Hot::calls).reversed().thenComparing(Hot::grain));
        return all.size() <= limit ? all : List.copyOf(all.subList(0, limit));
    }

    /** A grain and its calls lately (a lower bound). */
    record Hot(GrainId grain, long calls) {}

    private static final class Stripe {

        final AtomicInteger locked = new AtomicInteger();
        final GrainId[] ids = new GrainId[SETS * WAYS];
        final long[] counts = new long[SETS * WAYS];
        final long[] overcounts = new long[SETS * WAYS];

        void lock() {
            while (!locked.compareAndSet(0, 1)) {
                Thread.onSpinWait();
            }
        }

        void unlock() {
            locked.set(0);
        }

        void decay() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] -= counts[i] / 6;
                overcounts[i] -= overcounts[i] / 6;
                if (counts[i] < NEGLIGIBLE) {
                    counts[i] = 0;
                    overcounts[i] = 0;
                    ids[i] = null;
                }
            }
        }
    }
}
