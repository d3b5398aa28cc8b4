package org.orleans4j.spring.silo.app;

import org.orleans4j.placement.PlacementStrategy;

/** A user's custom placement strategy. */
public class PinnedStrategy extends PlacementStrategy {}
