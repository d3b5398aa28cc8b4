package org.orleans4j.grain;

/** How the key of a {@link GrainId} was given; it decides how the key text is parsed back. */
public enum KeyKind {
    STRING,
    LONG,
    UUID
}
