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

    /**
     * The hash of {@code first + separator + second} without building that text or its bytes (a grain
     * id is hashed for every message that names it); text beyond ASCII takes the longer way.
     */
    public static int hash(String first, char separator, String second) {
        if (separator >= 0x80 || !isAscii(first) || !isAscii(second)) {
            return hash(first + separator + second);
        }
        Murmur3 murmur = new Murmur3();
        murmur.add(first);
        murmur.add(separator);
        murmur.add(second);
        return murmur.finish();
    }

    private static boolean isAscii(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Murmur3 fed a byte at a time (little-endian blocks of four, as {@link #murmur3} reads them). */
    private static final class Murmur3 {
        private int h1;
        private int k1;
        private int length;

        void add(String ascii) {
            for (int i = 0, n = ascii.length(); i < n; i++) {
                add(ascii.charAt(i));
            }
        }

        void add(int b) {
            k1 |= (b & 0xff) << ((length & 3) << 3);
            length++;
            if ((length & 3) == 0) {
                h1 = mixBlock(h1, k1);
                k1 = 0;
            }
        }

        int finish() {
            int h = h1;
            if ((length & 3) != 0) {
                h ^= mixTail(k1);
            }
            return fmix(h ^ length);
        }
    }

    private static int mixTail(int k1) {
        k1 *= 0xcc9e2d51;
        k1 = Integer.rotateLeft(k1, 15);
        return k1 * 0x1b873593;
    }

    private static int mixBlock(int h1, int k1) {
        h1 ^= mixTail(k1);
        h1 = Integer.rotateLeft(h1, 13);
        return h1 * 5 + 0xe6546b64;
    }

    private static int fmix(int h1) {
        h1 ^= h1 >>> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >>> 13;
        h1 *= 0xc2b2ae35;
        h1 ^= h1 >>> 16;
        return h1;
    }

    @SuppressWarnings("fallthrough") // Murmur3's tail handling falls through on purpose
    public static int murmur3(byte[] data) {
        int h1 = 0;
        int length = data.length;
        int roundedEnd = length & ~3;
        for (int i = 0; i < roundedEnd; i += 4) {
            h1 = mixBlock(
                    h1,
                    (data[i] & 0xff)
                            | ((data[i + 1] & 0xff) << 8)
                            | ((data[i + 2] & 0xff) << 16)
                            | (data[i + 3] << 24));
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
                h1 ^= mixTail(k1);
                break;
            default:
                break;
        }
        return fmix(h1 ^ length);
    }
}
