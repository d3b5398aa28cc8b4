package org.orleans4j.grain;

/** A grain addressed by a string key. */
public interface GrainWithStringKey extends Grain {}
