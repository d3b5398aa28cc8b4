package org.orleans4j.messaging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Correlation ids of calls waiting for their responses: random, so that a peer cannot guess the ids of
 * other calls and answer them (a response is also matched against the connection its call went out on).
 */
public final class CorrelationIds {

    private CorrelationIds() {}

    /** Puts {@code call} into {@code pending} under a fresh non-zero id (0 marks one-way messages) and returns it. */
    public static <T> long register(ConcurrentHashMap<Long, T> pending, T call) {
        while (true) {
            long id = ThreadLocalRandom.current().nextLong();
            if (id != 0 && pending.putIfAbsent(id, call) == null) {
                return id;
            }
        }
    }
}
