package org.orleans4j.reminders.internal;

import org.orleans4j.grain.GrainId;

/** The reminder service of a silo as the other silos call it. */
public interface RemoteReminderService {

    /** The reminder {@code name} of {@code grainId} was registered, replaced or removed: read it again if it is yours. */
    void changed(GrainId grainId, String name);
}
