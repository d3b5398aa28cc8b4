package org.orleans4j.spring.actuate.dashboard;

/**
 * Log-linear latency bins: two per power of two from 1.024 µs up to 68.7 s, one below and one above.
 * Finding a call's bin is two shifts and a leading-zero count; a percentile read from the bins is
 * interpolated within its bin, so it is within the bin's width (a third to a half of its value) of
 * the exact one, and usually much closer. Enough for a dashboard; Micrometer's timers are for precise
 * figures.
 */
final class LatencyBins {

    /** Smallest power of two with bins of its own: 2^10 ns = 1.024 µs; faster calls share bin 0. */
    private static final int MIN_LOG = 10;
    /** Calls of 2^36 ns (68.7 s) and more share the last bin. */
    private static final int MAX_LOG = 36;

    /** Bin 0 (under 1.024 µs), two bins per power of two, and the last bin (68.7 s and more). */
    static final int COUNT = 2 + 2 * (MAX_LOG - MIN_LOG);

    private LatencyBins() {}

    /** The bin of a call that took {@code nanos}. */
    static int of(long nanos) {
        if (nanos < (1L << MIN_LOG)) {
            return 0;
        }
        int log = 63 - Long.numberOfLeadingZeros(nanos);
        if (log >= MAX_LOG) {
            return COUNT - 1;
        }
        int upperHalf = (int) (nanos >>> (log - 1)) & 1;
        return 1 + 2 * (log - MIN_LOG) + upperHalf;
    }

    /** The smallest duration in {@code bin}, in nanoseconds. */
    static long lowerBound(int bin) {
        if (bin == 0) {
            return 0;
        }
        if (bin == COUNT - 1) {
            return 1L << MAX_LOG;
        }
        int log = MIN_LOG + (bin - 1) / 2;
        long base = 1L << log;
        return (bin - 1) % 2 == 0 ? base : base + base / 2;
    }

    /** The smallest duration past {@code bin}, in nanoseconds (the last bin: twice its lower bound). */
    static long upperBound(int bin) {
        return bin == COUNT - 1 ? 2 * lowerBound(bin) : lowerBound(bin + 1);
    }

    /**
     * The {@code quantile} (0 to 1) of the calls counted in {@code bins}, in milliseconds, interpolated
     * within its bin; {@code null} when there are none.
     */
    static Double percentileMillis(long[] bins, double quantile) {
        long total = 0;
        for (long count : bins) {
            total += count;
        }
        if (total == 0) {
            return null;
        }
        // The rank of the call at the quantile, 1-based: the p99 of 100 calls is the 99th.
        double rank = Math.max(1, Math.ceil(quantile * total));
        long below = 0;
        for (int bin = 0; bin < bins.length; bin++) {
            long count = bins[bin];
            if (count == 0) {
                continue;
            }
            if (below + count >= rank) {
                double within = (rank - below) / count;
                long lower = lowerBound(bin);
                double nanos = lower + within * (upperBound(bin) - lower);
                return nanos / 1_000_000d;
            }
            below += count;
        }
        return upperBound(bins.length - 1) / 1_000_000d;
    }
}
