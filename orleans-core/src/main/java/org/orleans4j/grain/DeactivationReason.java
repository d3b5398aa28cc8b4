package org.orleans4j.grain;

/** Why an activation is being deactivated; passed to {@link GrainBase#onDeactivate}. */
public enum DeactivationReason {
    /** Idle longer than its collection age. */
    IDLE,
    /** The grain asked for it ({@link GrainBase#deactivateOnIdle()}). */
    APPLICATION_REQUESTED,
    /** A state write raised {@link org.orleans4j.persistence.InconsistentStateException}. */
    INCONSISTENT_STATE,
    /** The silo is shutting down. */
    SHUTTING_DOWN,
    /** Activation failed (onActivate threw, timed out, or state could not be read). */
    ACTIVATION_FAILED,
    /** Another activation of the grain won the directory registration. */
    DUPLICATE_ACTIVATION,
    /**
     * A caller uses a later {@link Version} of a grain interface than this silo has: the grain moves to a
     * silo of a newer build.
     */
    INCOMPATIBLE_VERSION
}
