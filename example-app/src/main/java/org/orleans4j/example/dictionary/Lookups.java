package org.orleans4j.example.dictionary;

/** How often an entry was looked up, as last written by its grain's write-behind timer. */
public record Lookups(long count) {

    static final Lookups NONE = new Lookups(0);
}
