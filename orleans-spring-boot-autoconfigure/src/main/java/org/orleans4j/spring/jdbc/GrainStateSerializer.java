package org.orleans4j.spring.jdbc;

/** Turns grain state into the text stored in the state table and back. Never Java serialization. */
public interface GrainStateSerializer {

    String serialize(Object state);

    <T> T deserialize(String payload, Class<T> type);
}
