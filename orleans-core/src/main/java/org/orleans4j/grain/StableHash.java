package org.orleans4j.grain;

import java.nio.charset.StandardCharsets;

/**
 * Murmur3 (x86, 32-bit, seed 0) over UTF-8 bytes. Used wherever a hash must be identical in every
 * JVM and across restarts (placement, directory ring), which {@code String.hashCode} does not promise.
 */
public final class StableHash {

    private StableHash() {}

    public static int hash(String text) {
        return murmur3(text.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("fallthrough") // Murmur3's tail handling falls through on purpose
    public static int murmur3(byte[] data) {
        final int c1 = 0xcc9e2d51;
        final int c2 = 0x1b873593;
        int h1 = 0;
        int length = data.length;
        int roundedEnd = length & ~3;
        for (int i = 0; i < roundedEnd; i += 4) {
            int k1 =
                    (data[i] & 0xff) | ((data[i + 1] & 0xff) << 8) | ((data[i + 2] & 0xff) << 16) | (data[i + 3] << 24);
            k1 *= c1;
            k1 = Integer.rotateLeft(k1, 15);
            k1 *= c2;
            h1 ^= k1;
            h1 = Integer.rotateLeft(h1, 13);
            h1 = h1 * 5 + 0xe6546b64;
        }
        int k1 = 0;
        switch (length & 3) {
            case 3:
                k1 = (data[roundedEnd + 2] & 0xff) << 16;
            // fall through
            case 2:
                k1 |= (data[roundedEnd + 1] & 0xff) << 8;
            // fall through
            case 1:
                k1 |= data[roundedEnd] & 0xff;
                k1 *= c1;
                k1 = Integer.rotateLeft(k1, 15);
                k1 *= c2;
                h1 ^= k1;
                break;
            default:
                break;
        }
        h1 ^= length;
        h1 ^= h1 >>> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >>> 13;
        h1 *= 0xc2b2ae35;
        h1 ^= h1 >>> 16;
        return h1;
    }
}
