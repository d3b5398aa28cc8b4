package org.orleans4j.catalog.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainId;
import org.orleans4j.metadata.GrainClassMetadata;

/**
 * The local activations of one stateless worker grain id: a request goes to an idle worker, else
 * to a new one while under the maximum, else to the least loaded.
 */
final class StatelessWorkerGroup {

    private final Catalog catalog;
    private final GrainId grainId;
    private final GrainClassMetadata grainClass;
    private final CopyOnWriteArrayList<ActivationData> members = new CopyOnWriteArrayList<>();

    StatelessWorkerGroup(Catalog catalog, GrainId grainId, GrainClassMetadata grainClass) {
        this.catalog = catalog;
        this.grainId = grainId;
        this.grainClass = grainClass;
    }

    private boolean closed;

    /** Returns false when the group was closed meanwhile; the caller then uses a new group. */
    boolean deliver(Request request) {
        ActivationData target = pick();
        if (target == null) {
            return false;
        }
        target.enqueueRequest(request);
        return true;
    }

    private synchronized @Nullable ActivationData pick() {
        if (closed) {
            return null;
        }
        ActivationData leastLoaded = null;
        int least = Integer.MAX_VALUE;
        for (ActivationData member : members) {
            if (!member.isValidOrActivating()) {
                continue;
            }
            int load = member.load.get();
            if (load == 0) {
                return member;
            }
            if (load < least) {
                least = load;
                leastLoaded = member;
            }
        }
        if (leastLoaded == null || members.size() < grainClass.maxLocalWorkers()) {
            ActivationData created = catalog.newActivation(grainId, grainClass);
            members.add(created);
            return created;
        }
        return leastLoaded;
    }

    synchronized void remove(ActivationData activation) {
        members.remove(activation);
        if (members.isEmpty()) {
            closed = true;
            catalog.removeEmptyGroup(grainId, this);
        }
    }

    List<ActivationData> members() {
        return List.copyOf(members);
    }
}
