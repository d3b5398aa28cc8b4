package org.orleans4j.cluster;

/** A silo's status in the cluster, as the membership table records it. */
public enum SiloStatus {
    NONE,
    CREATED,
    JOINING,
    ACTIVE,
    SHUTTING_DOWN,
    STOPPING,
    DEAD;

    /** Whether the silo may host new activations. */
    public boolean isActive() {
        return this == ACTIVE;
    }

    public boolean isTerminating() {
        return this == SHUTTING_DOWN || this == STOPPING || this == DEAD;
    }
}
