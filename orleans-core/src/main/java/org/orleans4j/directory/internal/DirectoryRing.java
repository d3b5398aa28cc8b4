package org.orleans4j.directory.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.StableHash;

/**
 * The consistent-hash ring of the Active silos. Each silo sits at {@value #POINTS_PER_SILO} points,
 * the stable hashes of its address with a point number, so that ranges are even (a single point
 * per silo leaves one silo a sliver of the ring now and then); a point owns the grain hashes from
 * its position up to the next point (the owner of {@code h} is the silo of the largest point
 * {@code <= h}, wrapping around). Every silo with the same membership computes the same owners.
 * Immutable.
 */
public final class DirectoryRing {

    /** Points per silo on the ring: Orleans' old ring directory used 30 virtual buckets per silo too. */
    static final int POINTS_PER_SILO = 30;

    public static final DirectoryRing EMPTY = new DirectoryRing(List.of(), new int[0], new SiloAddress[0]);

    private final List<SiloAddress> members;
    private final int[] hashes;
    private final SiloAddress[] owners;

    private DirectoryRing(List<SiloAddress> members, int[] hashes, SiloAddress[] owners) {
        this.members = members;
        this.hashes = hashes;
        this.owners = owners;
    }

    public static DirectoryRing of(Collection<SiloAddress> activeSilos) {
        List<SiloAddress> members = activeSilos.stream().distinct().sorted().toList();
        record Point(int hash, SiloAddress silo) {}
        List<Point> points = new ArrayList<>(members.size() * POINTS_PER_SILO);
        for (SiloAddress silo : members) {
            String name = silo.toString();
            for (int i = 0; i < POINTS_PER_SILO; i++) {
                points.add(new Point(StableHash.hash(name + "#" + i), silo));
            }
        }
        points.sort(Comparator.comparingInt(Point::hash).thenComparing(Point::silo));
        int[] hashes = new int[points.size()];
        SiloAddress[] owners = new SiloAddress[points.size()];
        for (int i = 0; i < points.size(); i++) {
            hashes[i] = points.get(i).hash();
            owners[i] = points.get(i).silo();
        }
        return new DirectoryRing(members, hashes, owners);
    }

    /** The silo that owns the directory entry of {@code grainId}, or {@code null} when the ring is empty. */
    public @Nullable SiloAddress owner(GrainId grainId) {
        return ownerOfHash(grainId.stableHash());
    }

    private @Nullable SiloAddress ownerOfHash(int h) {
        if (owners.length == 0) {
            return null;
        }
        int index = Arrays.binarySearch(hashes, h);
        if (index < 0) {
            index = -index - 2; // the insertion point minus one: the largest point below h
        } else {
            while (index + 1 < hashes.length && hashes[index + 1] == h) {
                index++; // equal hashes: the last of them, like the largest <= h
            }
        }
        return owners[index < 0 ? owners.length - 1 : index];
    }

    /**
     * Whether {@code silo} owns some hash in this ring that it did not own in {@code before}. Owners are
     * constant between the points of both rings, so checking each point of both is exact.
     */
    public boolean gainsOver(DirectoryRing before, SiloAddress silo) {
        return gainsAtPoints(hashes, before, silo) || gainsAtPoints(before.hashes, before, silo);
    }

    private boolean gainsAtPoints(int[] points, DirectoryRing before, SiloAddress silo) {
        for (int point : points) {
            if (silo.equals(ownerOfHash(point)) && !silo.equals(before.ownerOfHash(point))) {
                return true;
            }
        }
        return false;
    }

    /** A range of grain hashes, {@code [fromInclusive, toExclusive)}, in int range held as longs. */
    public record HashRange(long fromInclusive, long toExclusive) {}

    /**
     * The hash ranges {@code silo} owns, adjacent ones merged, in ascending order: the whole int range
     * when it is the only member, none when it is not a member.
     */
    public List<HashRange> rangesOf(SiloAddress silo) {
        List<HashRange> ranges = new ArrayList<>();
        if (owners.length == 0) {
            return ranges;
        }
        long end = (long) Integer.MAX_VALUE + 1;
        // Below the first point the ring wraps: the last point's silo owns it.
        if (silo.equals(owners[owners.length - 1]) && hashes[0] > Integer.MIN_VALUE) {
            add(ranges, Integer.MIN_VALUE, hashes[0]);
        }
        for (int i = 0; i < hashes.length; i++) {
            long from = hashes[i];
            long to = i + 1 < hashes.length ? hashes[i + 1] : end;
            if (from < to && silo.equals(owners[i])) {
                add(ranges, from, to);
            }
        }
        return ranges;
    }

    private static void add(List<HashRange> ranges, long from, long to) {
        if (!ranges.isEmpty() && ranges.getLast().toExclusive() == from) {
            ranges.set(ranges.size() - 1, new HashRange(ranges.getLast().fromInclusive(), to));
        } else {
            ranges.add(new HashRange(from, to));
        }
    }

    public boolean contains(SiloAddress silo) {
        return members.contains(silo);
    }

    /** The silos of the ring, in address order. */
    public List<SiloAddress> members() {
        return members;
    }

    public int size() {
        return members.size();
    }

    @Override
    public String toString() {
        return members.toString();
    }
}
