package org.orleans4j.example.dictionary;

/** The persisted state of an {@link EntryGrain}. */
public record Entry(String definition) {

    static final Entry EMPTY = new Entry(null);
}
