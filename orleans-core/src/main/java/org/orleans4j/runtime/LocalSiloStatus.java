package org.orleans4j.runtime;

import org.orleans4j.cluster.SiloStatus;

/**
 * This silo's own status. The {@link Silo} changes it as it starts and stops; the cluster view, the
 * dispatcher and the membership read it. Built before all of them, so none needs the silo itself.
 */
final class LocalSiloStatus {

    private volatile SiloStatus status = SiloStatus.CREATED;

    SiloStatus get() {
        return status;
    }

    void set(SiloStatus status) {
        this.status = status;
    }
}
