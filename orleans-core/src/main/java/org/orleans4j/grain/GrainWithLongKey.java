package org.orleans4j.grain;

/** A grain addressed by a {@code long} key. */
public interface GrainWithLongKey extends Grain {}
