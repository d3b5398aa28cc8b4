package org.orleans4j.directory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;

class DirectoryRingTest {

    private static final long END = (long) Integer.MAX_VALUE + 1;

    private static List<SiloAddress> silos(int count) {
        List<SiloAddress> silos = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            silos.add(new SiloAddress("10.0.0." + (i + 1), 11111, 1_700_000_000_000L + i));
        }
        return silos;
    }

    @Test
    void theRangesOfTheSilosCoverEveryHashOnceAndAgreeWithTheOwner() {
        for (int count = 1; count <= 5; count++) {
            List<SiloAddress> silos = silos(count);
            DirectoryRing ring = DirectoryRing.of(silos);
            List<DirectoryRing.HashRange> all = new ArrayList<>();
            silos.forEach(silo -> all.addAll(ring.rangesOf(silo)));
            all.sort((a, b) -> Long.compare(a.fromInclusive(), b.fromInclusive()));
            assertThat(all.getFirst().fromInclusive()).isEqualTo(Integer.MIN_VALUE);
            assertThat(all.getLast().toExclusive()).isEqualTo(END);
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).fromInclusive())
                        .as("ranges meet without gap or overlap")
                        .isEqualTo(all.get(i - 1).toExclusive());
            }
            Random random = new Random(count);
            for (int i = 0; i < 2_000; i++) {
                GrainId grain = GrainId.ofString("ring", Long.toString(random.nextLong()));
                SiloAddress owner = ring.owner(grain);
                long hash = grain.stableHash();
                assertThat(ring.rangesOf(owner))
                        .as("the owner's ranges hold the grain's hash")
                        .anyMatch(range -> hash >= range.fromInclusive() && hash < range.toExclusive());
            }
        }
    }

    @Test
    void aSiloOnItsOwnOwnsEverythingAndANonMemberNothing() {
        List<SiloAddress> silos = silos(2);
        assertThat(DirectoryRing.of(silos.subList(0, 1)).rangesOf(silos.get(0)))
                .containsExactly(new DirectoryRing.HashRange(Integer.MIN_VALUE, END));
        assertThat(DirectoryRing.of(silos.subList(0, 1)).rangesOf(silos.get(1))).isEmpty();
        assertThat(DirectoryRing.EMPTY.rangesOf(silos.get(0))).isEmpty();
    }
}
