package org.orleans4j.testing.tck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A mutable state with nested collections, as grains commonly have. */
public class TestState {
    public String name;
    public long count;
    public List<String> tags = new ArrayList<>();
    public Map<String, Integer> scores = new LinkedHashMap<>();

    public static TestState of(String name, long count) {
        TestState s = new TestState();
        s.name = name;
        s.count = count;
        s.tags.add("t-" + name);
        s.scores.put(name, (int) count);
        return s;
    }
}
