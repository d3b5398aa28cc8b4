package org.orleans4j.grain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StableHashTest {

    @Test
    void knownValuesOfMurmur3AreKept() {
        // Placement and the directory ring depend on these values across JVMs and releases.
        assertThat(StableHash.hash("")).isEqualTo(0);
        assertThat(StableHash.murmur3("hello".getBytes(StandardCharsets.UTF_8))).isEqualTo(0x248bfa47);
        assertThat(StableHash.murmur3("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(0x2e4ff723);
    }

    @Test
    void theHashOfTwoPartsEqualsTheHashOfTheirJoinedTextForEveryLengthAndScript() {
        Random random = new Random(17);
        String alphabet = "abcXYZ019/-_ éü語😀";
        for (int i = 0; i < 20_000; i++) {
            String first = randomText(random, alphabet, random.nextInt(12));
            String second = randomText(random, alphabet, random.nextInt(12));
            char separator = random.nextInt(10) == 0 ? 'é' : '/';
            assertThat(StableHash.hash(first, separator, second))
                    .as("%s %s %s", first, separator, second)
                    .isEqualTo(StableHash.hash(first + separator + second));
        }
    }

    @Test
    void aGrainIdHashesItsTypeAndKeyJoinedBySlash() {
        GrainId id = GrainId.ofLong("ping", 42);
        assertThat(id.stableHash()).isEqualTo(StableHash.hash("ping/42"));
        assertThat(GrainId.ofString("語", "😀").stableHash()).isEqualTo(StableHash.hash("語/😀"));
    }

    private static String randomText(Random random, String alphabet, int codePoints) {
        int[] all = alphabet.codePoints().toArray();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            text.appendCodePoint(all[random.nextInt(all.length)]);
        }
        return text.toString();
    }
}
