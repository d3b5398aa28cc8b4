package org.orleans4j.directory;

import org.orleans4j.grain.GrainId;
import org.orleans4j.runtime.SiloAddress;

/** Where one activation of a grain lives: its silo and activation id. */
public record GrainAddress(GrainId grainId, SiloAddress silo, String activationId) {
}
