package org.orleans4j.directory.internal;

import java.util.List;
import org.orleans4j.cluster.GrainAddress;

/** What the distributed directory needs of the activations of the silo it runs in. */
public interface LocalActivations {

    /** Activations registered or registering: re-registered with their new owner when the ring moves their entry. */
    List<GrainAddress> registering();

    /** Activations whose registration an owner confirmed and that have not unregistered: reported to a new owner. */
    List<GrainAddress> confirmed();

    /** Another activation of the grain holds its directory entry: this one must go (its queued calls forwarded). */
    void duplicate(GrainAddress address);
}
