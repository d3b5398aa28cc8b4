package org.orleans4j.spring.actuate.endpoint;

import org.orleans4j.placement.PlacementStrategy;

/** Short names of placement strategies, as Orleans spells them: {@code RandomPlacementStrategy} is {@code RandomPlacement}. */
final class StrategyNames {

    private static final String SUFFIX = "Strategy";

    private StrategyNames() {}

    static String of(PlacementStrategy strategy) {
        String name = strategy.getClass().getSimpleName();
        if (name.isEmpty()) { // an anonymous subclass
            return strategy.getClass().getName();
        }
        return name.endsWith(SUFFIX) && name.length() > SUFFIX.length()
                ? name.substring(0, name.length() - SUFFIX.length())
                : name;
    }
}
