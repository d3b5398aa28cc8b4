package org.orleans4j.membership;

/**
 * The membership table's version row. Every insert or update of a silo row must carry
 * {@link #next()} of the version it read; the table applies the write only if its version still
 * equals {@code version}, which serializes all membership changes.
 *
 * @param version the number of successful membership writes so far
 * @param etag the store's token for this version
 */
public record TableVersion(long version, String etag) {

    public TableVersion next() {
        return new TableVersion(version + 1, etag);
    }
}
