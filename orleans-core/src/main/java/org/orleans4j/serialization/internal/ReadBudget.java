package org.orleans4j.serialization.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;

/**
 * How many collection, map and object-array elements one message may still hold, all together: a
 * frame of a few megabytes could otherwise describe millions of small objects. One per Kryo (one
 * Kryo per thread), reset before each read.
 */
final class ReadBudget {

    private static final Object KEY = ReadBudget.class;

    private final int maxElements;
    private long remaining;

    private ReadBudget(int maxElements) {
        this.maxElements = maxElements;
        this.remaining = maxElements;
    }

    static void install(Kryo kryo, int maxElements) {
        kryo.getContext().put(KEY, new ReadBudget(maxElements));
    }

    static void reset(Kryo kryo) {
        ReadBudget budget = (ReadBudget) kryo.getContext().get(KEY);
        budget.remaining = budget.maxElements;
    }

    /** Spends {@code elements} of the budget; fails the read when it runs out. */
    static void charge(Kryo kryo, long elements) {
        ReadBudget budget = (ReadBudget) kryo.getContext().get(KEY);
        if (budget == null) {
            return; // a Kryo of this class's own tests, without a budget
        }
        budget.remaining -= elements;
        if (budget.remaining < 0) {
            throw new KryoException(
                    "the message holds more than " + budget.maxElements + " elements (orleans.messaging.max-elements)");
        }
    }
}
