package org.orleans4j.spring.kubernetes.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many pod requests the API received per RBAC verb, so a test can bound a client's retries
 * (no hot loop after a 403 or a 410). Handler threads record concurrently.
 */
final class RequestLog {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void record(String verb) {
        counts.computeIfAbsent(verb, ignored -> new LongAdder()).increment();
    }

    long count(String verb) {
        LongAdder count = counts.get(verb);
        return count == null ? 0 : count.sum();
    }
}
