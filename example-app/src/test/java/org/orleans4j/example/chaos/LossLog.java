package org.orleans4j.example.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The acknowledged words that read back anything but their latest acknowledged definition. */
final class LossLog {

    private static final int DESCRIBED = 20;

    private final Set<String> lostWords = ConcurrentHashMap.newKeySet();
    private final List<String> descriptions = new ArrayList<>();

    /** {@code read} (null: none) came back for {@code word}, which does not accept it. */
    void record(String where, TrackedWord word, String read) {
        lostWords.add(word.word());
        synchronized (descriptions) {
            if (descriptions.size() < DESCRIBED) {
                descriptions.add(where + ": " + word.word() + " read " + (read == null ? "nothing" : "'" + read + "'")
                        + ", expected " + word.expected());
            }
        }
    }

    int lostWords() {
        return lostWords.size();
    }

    /** The first losses, one a line. */
    String describe() {
        synchronized (descriptions) {
            return String.join("\n", descriptions);
        }
    }
}
