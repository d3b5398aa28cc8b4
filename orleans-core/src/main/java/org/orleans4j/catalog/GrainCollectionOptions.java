package org.orleans4j.catalog;

import java.time.Duration;
import org.orleans4j.internal.OptionChecks;

/**
 * Activation lifecycle timing, with Orleans' defaults.
 *
 * @param collectionAge idle time after which an activation is collected (15 min)
 * @param collectionQuantum how often idle activations are looked for (1 min)
 * @param activationTimeout limit for state reading plus {@code onActivate} (30 s)
 * @param deactivationTimeout limit for {@code onDeactivate} (30 s)
 */
public record GrainCollectionOptions(
        Duration collectionAge, Duration collectionQuantum, Duration activationTimeout, Duration deactivationTimeout) {

    public static final GrainCollectionOptions DEFAULT = new GrainCollectionOptions(
            Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofSeconds(30));

    public GrainCollectionOptions {
        OptionChecks.requirePositive(collectionAge, "collectionAge");
        OptionChecks.requirePositive(collectionQuantum, "collectionQuantum");
        OptionChecks.requirePositive(activationTimeout, "activationTimeout");
        OptionChecks.requirePositive(deactivationTimeout, "deactivationTimeout");
    }
}
