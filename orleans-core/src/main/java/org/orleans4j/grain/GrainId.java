package org.orleans4j.grain;

import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Identity of a grain: its grain type plus its key. Equal ids denote the same virtual grain
 * everywhere in the cluster. {@link #stableHash()} is the same in every JVM.
 */
public final class GrainId implements Comparable<GrainId> {

    private final String type;
    private final String key;
    private final KeyKind keyKind;
    /** Computed when first asked (a response names a grain nobody looks up); 0 until then, like String's hash. */
    private int stableHash;
    /** The hash was computed and is 0. */
    private boolean stableHashIsZero;

    /**
     * The longest key, in characters: what the grain state and directory tables hold
     * ({@code grain_key VARCHAR(1000)}), and well within the 4 KiB the wire allows a text field. Checked
     * here, where every grain id is made, so a key too long fails at once with this message rather than
     * later in a database write or a frame.
     */
    public static final int MAX_KEY_LENGTH = 1000;
    /** The longest grain type name, in characters ({@code grain_type VARCHAR(150)}). */
    public static final int MAX_TYPE_LENGTH = 150;

    private GrainId(String type, String key, KeyKind keyKind) {
        if (type == null || type.isEmpty()) {
            throw new IllegalArgumentException("grain type must not be empty");
        }
        if (type.length() > MAX_TYPE_LENGTH) {
            throw new IllegalArgumentException(
                    "grain type name of " + type.length() + " characters exceeds the limit of " + MAX_TYPE_LENGTH);
        }
        Objects.requireNonNull(key, "grain key");
        if (key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("grain key of " + key.length() + " characters exceeds the limit of "
                    + MAX_KEY_LENGTH + " (GrainId.MAX_KEY_LENGTH): " + key.substring(0, 40) + "...");
        }
        this.type = type;
        this.key = key;
        this.keyKind = keyKind;
    }

    public static GrainId ofString(String type, String key) {
        return new GrainId(type, key, KeyKind.STRING);
    }

    public static GrainId ofLong(String type, long key) {
        return new GrainId(type, Long.toString(key), KeyKind.LONG);
    }

    public static GrainId ofUuid(String type, UUID key) {
        return new GrainId(type, key.toString(), KeyKind.UUID);
    }

    public static GrainId of(String type, String key, KeyKind kind) {
        return new GrainId(type, key, kind);
    }

    /** The grain type name, e.g. {@code "entry"}. */
    public String type() {
        return type;
    }

    /** The key as text: the string itself, the decimal long, or the canonical UUID form. */
    public String key() {
        return key;
    }

    public KeyKind keyKind() {
        return keyKind;
    }

    public long keyAsLong() {
        if (keyKind != KeyKind.LONG) {
            throw new IllegalStateException("grain " + this + " has a " + keyKind + " key, not a long key");
        }
        return Long.parseLong(key);
    }

    public UUID keyAsUuid() {
        if (keyKind != KeyKind.UUID) {
            throw new IllegalStateException("grain " + this + " has a " + keyKind + " key, not a UUID key");
        }
        return UUID.fromString(key);
    }

    /** Murmur3 of {@code type/key}: identical in every JVM and across restarts. */
    public int stableHash() {
        // A benign race, as in String.hashCode: every thread computes the same value.
        int hash = stableHash;
        if (hash == 0 && !stableHashIsZero) {
            hash = StableHash.hash(type, '/', key);
            if (hash == 0) {
                stableHashIsZero = true;
            } else {
                stableHash = hash;
            }
        }
        return hash;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof GrainId other && type.equals(other.type) && key.equals(other.key);
    }

    @Override
    public int hashCode() {
        // Not the stable hash: a decoded type is the one String of its connection's field dictionary, whose
        // hash is cached, so a map lookup hashes only the key (murmur3 of the whole id costs several times more).
        return 31 * type.hashCode() + key.hashCode();
    }

    @Override
    public int compareTo(GrainId o) {
        int c = type.compareTo(o.type);
        return c != 0 ? c : key.compareTo(o.key);
    }

    @Override
    public String toString() {
        return type + "/" + key;
    }
}
