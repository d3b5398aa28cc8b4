package org.orleans4j.grain;

/** A grain addressed by a {@link java.util.UUID} key. */
public interface GrainWithUuidKey extends Grain {}
