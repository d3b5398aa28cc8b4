package org.orleans4j.directory.internal;

import static org.orleans4j.directory.internal.DistributedGrainDirectory.MAX_HOPS;

import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainException;
import org.orleans4j.messaging.UnauthorizedRequestException;

/**
 * Checks what the types of a directory request from another silo cannot: every one is hostile until
 * checked.
 */
final class DirectoryRequests {

    private DirectoryRequests() {}

    static <T> T present(@Nullable T value, String what) {
        if (value == null) {
            throw new GrainException("Malformed directory request: the " + what + " is missing");
        }
        return value;
    }

    static long version(long version) {
        if (version < 0) {
            throw new GrainException("Malformed directory request: " + version + " is not a membership version");
        }
        return version;
    }

    static int hops(int hops) {
        if (hops < 0 || hops > MAX_HOPS) {
            throw new GrainException(
                    "Malformed directory request: " + hops + " is not a hop count from 0 to " + MAX_HOPS);
        }
        return hops;
    }

    static void requireEntryOf(
            SiloAddress sender, SiloAddress named, boolean mayNameMembers, Predicate<SiloAddress> isLiveMember) {
        if (named.equals(sender) || (mayNameMembers && isLiveMember.test(named))) {
            return;
        }
        throw new UnauthorizedRequestException("Silo " + sender + " may not register or remove a directory entry of "
                + named + (mayNameMembers ? ", which is not a live member" : "; a silo registers its own activations"));
    }
}
