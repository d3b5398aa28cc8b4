package org.orleans4j.spring.boot.app;

import org.orleans4j.placement.PlacementStrategy;

/** A user's custom placement strategy. */
public class PinnedStrategy extends PlacementStrategy {
}
