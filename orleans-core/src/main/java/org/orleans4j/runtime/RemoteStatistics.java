package org.orleans4j.runtime;

import java.util.Map;

/** The statistics of another silo, as this one publishes its own to it every second (a typed system target). */
public interface RemoteStatistics {

    /** This silo's activation count and its counts per grain type. */
    void publish(int activationCount, Map<String, Integer> countsByType);
}
