package org.orleans4j.membership;

/** The membership service of another silo, as this one calls it (a typed system target). */
public interface RemoteMembership {

    /** This silo wrote the membership table: read it now rather than at the next refresh period. */
    void tableChanged();
}
