package org.orleans4j.cluster;

import org.orleans4j.grain.GrainId;

/** Where one activation of a grain lives: its silo and activation id. */
public record GrainAddress(GrainId grainId, SiloAddress silo, String activationId) {}
