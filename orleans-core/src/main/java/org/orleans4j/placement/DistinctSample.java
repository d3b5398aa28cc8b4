package org.orleans4j.placement;

import java.util.concurrent.ThreadLocalRandom;

/** Uniform random samples of distinct indexes, for the power-of-K-choices director. */
final class DistinctSample {

    private DistinctSample() {}

    /**
     * {@code k} distinct indexes out of {@code [0, n)}, uniformly, in random order. Floyd's algorithm:
     * exactly k draws and no n-sized scratch array, which matters because k is tiny (2 by default)
     * while n is the cluster size; the linear membership test is cheap for such k.
     */
    static int[] indexes(int n, int k) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("cannot pick " + k + " distinct indexes out of " + n);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int[] chosen = new int[k];
        int size = 0;
        for (int j = n - k; j < n; j++) {
            int candidate = random.nextInt(j + 1);
            chosen[size] = contains(chosen, size, candidate) ? j : candidate;
            size++;
        }
        // Floyd's algorithm gives a uniform set but not a uniform order; shuffle so that callers
        // breaking ties by order break them at random.
        for (int i = k - 1; i > 0; i--) {
            int swap = random.nextInt(i + 1);
            int tmp = chosen[i];
            chosen[i] = chosen[swap];
            chosen[swap] = tmp;
        }
        return chosen;
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }
}
