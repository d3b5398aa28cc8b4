package org.orleans4j.directory;

import static org.orleans4j.directory.DistributedGrainDirectory.LOOKUP;
import static org.orleans4j.directory.DistributedGrainDirectory.REGISTER;
import static org.orleans4j.directory.DistributedGrainDirectory.UNREGISTER;

import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.grain.GrainId;

/**
 * One operation on one grain's directory entry (register, unregister, lookup), as it travels between
 * silos: its arguments on the wire carry the sender's membership version and hop count. Every one is
 * idempotent, so sending it again to a newer owner does no harm.
 */
record DirectoryOperation(int code, GrainId grainId, GrainAddress address, GrainAddress previous) {

    static DirectoryOperation register(GrainAddress address, GrainAddress previous) {
        return new DirectoryOperation(REGISTER, address.grainId(), address, previous);
    }

    static DirectoryOperation unregister(GrainAddress address) {
        return new DirectoryOperation(UNREGISTER, address.grainId(), address, null);
    }

    static DirectoryOperation lookup(GrainId grainId) {
        return new DirectoryOperation(LOOKUP, grainId, null, null);
    }

    Object[] args(long version, int hops) {
        return switch (code) {
            case REGISTER -> new Object[] {address, previous, version, hops};
            case UNREGISTER -> new Object[] {address, version, hops};
            default -> new Object[] {grainId, version, hops};
        };
    }

    Object applyTo(DirectoryPartition partition) {
        return switch (code) {
            case REGISTER -> partition.register(address, previous);
            case UNREGISTER -> {
                partition.unregister(address);
                yield null;
            }
            default -> partition.lookup(grainId);
        };
    }
}
