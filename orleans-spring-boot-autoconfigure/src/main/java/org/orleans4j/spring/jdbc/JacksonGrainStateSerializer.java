package org.orleans4j.spring.jdbc;

import tools.jackson.databind.json.JsonMapper;

/** JSON through Jackson: readable in the database, tolerant of added fields. */
public class JacksonGrainStateSerializer implements GrainStateSerializer {

    private final JsonMapper mapper;

    public JacksonGrainStateSerializer(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String serialize(Object state) {
        return mapper.writeValueAsString(state);
    }

    @Override
    public <T> T deserialize(String payload, Class<T> type) {
        return mapper.readValue(payload, type);
    }
}
