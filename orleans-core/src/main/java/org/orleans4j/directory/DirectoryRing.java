package org.orleans4j.directory;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.StableHash;
import org.orleans4j.runtime.SiloAddress;

/**
 * The consistent-hash ring of the Active silos: each silo sits at the stable hash of its address,
 * and owns the grain hashes from its position up to the next silo's (the owner of {@code h} is the
 * silo with the largest ring hash {@code <= h}, wrapping around). Every silo with the same
 * membership computes the same owners. Immutable.
 */
public final class DirectoryRing {

    public static final DirectoryRing EMPTY = new DirectoryRing(new SiloAddress[0]);

    private final SiloAddress[] silos;
    private final int[] hashes;

    private DirectoryRing(SiloAddress[] silos) {
        this.silos = silos;
        this.hashes = new int[silos.length];
        for (int i = 0; i < silos.length; i++) {
            hashes[i] = hashOf(silos[i]);
        }
    }

    public static DirectoryRing of(Collection<SiloAddress> activeSilos) {
        SiloAddress[] sorted = activeSilos.stream().distinct()
                .sorted(Comparator.comparingInt(DirectoryRing::hashOf).thenComparing(Comparator.naturalOrder()))
                .toArray(SiloAddress[]::new);
        return new DirectoryRing(sorted);
    }

    static int hashOf(SiloAddress silo) {
        return StableHash.hash(silo.toString());
    }

    /** The silo that owns the directory entry of {@code grainId}, or {@code null} when the ring is empty. */
    public SiloAddress owner(GrainId grainId) {
        if (silos.length == 0) {
            return null;
        }
        int h = grainId.stableHash();
        int index = Arrays.binarySearch(hashes, h);
        if (index < 0) {
            index = -index - 2; // the insertion point minus one: the largest ring hash below h
        } else {
            while (index + 1 < hashes.length && hashes[index + 1] == h) {
                index++; // equal hashes: the last of them, like the largest <= h
            }
        }
        return silos[index < 0 ? silos.length - 1 : index];
    }

    public boolean contains(SiloAddress silo) {
        for (SiloAddress s : silos) {
            if (s.equals(silo)) {
                return true;
            }
        }
        return false;
    }

    /** The silos of the ring, in ring order. */
    public java.util.List<SiloAddress> members() {
        return java.util.List.of(silos);
    }

    public int size() {
        return silos.length;
    }

    @Override
    public String toString() {
        return Arrays.toString(silos);
    }
}
