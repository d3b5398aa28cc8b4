package org.orleans4j.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DistinctSampleTest {

    @Test
    void samplesAreDistinctAndUniformInSetAndOrder() {
        int n = 5;
        int draws = 50_000;
        int[] inSample = new int[n];
        int[] first = new int[n];
        for (int i = 0; i < draws; i++) {
            int[] sample = DistinctSample.indexes(n, 2);
            assertThat(sample).hasSize(2).doesNotHaveDuplicates();
            assertThat(Arrays.stream(sample))
                    .allSatisfy(index -> assertThat(index).isBetween(0, n - 1));
            inSample[sample[0]]++;
            inSample[sample[1]]++;
            first[sample[0]]++;
        }
        // Expected 20,000 and 10,000; standard deviations about 110 and 90: the bounds are over 9 sigma.
        assertThat(Arrays.stream(inSample))
                .allSatisfy(count -> assertThat(count).isBetween(19_000, 21_000));
        assertThat(Arrays.stream(first)).allSatisfy(count -> assertThat(count).isBetween(9_200, 10_800));
    }

    @Test
    void takingEveryIndexGivesAPermutation() {
        for (int i = 0; i < 100; i++) {
            int[] sample = DistinctSample.indexes(4, 4);
            Arrays.sort(sample);
            assertThat(sample).containsExactly(0, 1, 2, 3);
        }
        assertThat(DistinctSample.indexes(3, 0)).isEmpty();
        assertThatThrownBy(() -> DistinctSample.indexes(2, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
