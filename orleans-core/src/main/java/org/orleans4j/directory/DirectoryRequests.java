package org.orleans4j.directory;

import static org.orleans4j.directory.DistributedGrainDirectory.MAX_HOPS;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.messaging.UnauthorizedRequestException;

/** Reads and checks the arguments of a directory request from another silo: every one is hostile until checked. */
final class DirectoryRequests {

    private DirectoryRequests() {}

    static GrainAddress entry(Object[] args, int index) {
        if (args.length <= index || !(args[index] instanceof GrainAddress address)) {
            throw new GrainException("Malformed directory request: argument " + index + " is not a grain address");
        }
        return address;
    }

    static GrainId grainId(Object[] args, int index) {
        if (args.length <= index || !(args[index] instanceof GrainId grainId)) {
            throw new GrainException("Malformed directory request: argument " + index + " is not a grain id");
        }
        return grainId;
    }

    static List<GrainAddress> entries(Object[] args) {
        if (args.length == 0 || !(args[0] instanceof List<?> list)) {
            throw new GrainException("Malformed directory request: argument 0 is not a list of grain addresses");
        }
        List<GrainAddress> addresses = new ArrayList<>(list.size());
        for (Object element : list) {
            if (!(element instanceof GrainAddress address)) {
                throw new GrainException("Malformed directory request: " + element + " is not a grain address");
            }
            addresses.add(address);
        }
        return addresses;
    }

    static long version(Object[] args, int index) {
        if (args.length <= index || !(args[index] instanceof Long version) || version < 0) {
            throw new GrainException("Malformed directory request: argument " + index + " is not a membership version");
        }
        return version;
    }

    static int hops(Object[] args, int index) {
        if (args.length <= index || !(args[index] instanceof Integer hops) || hops < 0 || hops > MAX_HOPS) {
            throw new GrainException(
                    "Malformed directory request: argument " + index + " is not a hop count from 0 to " + MAX_HOPS);
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
