package org.orleans4j.example.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * What a load stream knows of one of its words: the last definition the cluster acknowledged, and the
 * definitions of writes whose outcome is unknown (they failed, so they may or may not have been applied,
 * now or later). A word with such a write is retired, never written again, so the values a read may
 * rightly return stay exactly these. Used by one stream's thread, then by the final check after it.
 */
final class TrackedWord {

    private final String word;
    private String acknowledged;
    private final List<String> unknownOutcome = new ArrayList<>();

    TrackedWord(String word) {
        this.word = word;
    }

    String word() {
        return word;
    }

    void acknowledged(String definition) {
        if (isRetired()) {
            throw new IllegalStateException(word + " is retired and must not be written again");
        }
        acknowledged = definition;
    }

    void failed(String definition) {
        unknownOutcome.add(definition);
    }

    /** Whether a write of this word ever was acknowledged: only then can a read show a loss. */
    boolean hasAcknowledgedWrite() {
        return acknowledged != null;
    }

    boolean isRetired() {
        return !unknownOutcome.isEmpty();
    }

    /** Whether {@code read} is what the word may hold: the acknowledged definition or a later unknown one. */
    boolean accepts(String read) {
        return acknowledged == null || acknowledged.equals(read) || unknownOutcome.contains(read);
    }

    String expected() {
        return unknownOutcome.isEmpty()
                ? "'" + acknowledged + "'"
                : "'" + acknowledged + "' or one of " + unknownOutcome;
    }
}
