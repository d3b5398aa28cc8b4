package org.orleans4j.membership;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.cluster.HostPort;
import org.orleans4j.cluster.SiloAddress;

/**
 * The source of truth for cluster membership, scoped to one service id and cluster id. Writes are
 * optimistic: {@link #insertRow} and {@link #updateRow} succeed only when the table's version still
 * equals the one the caller read (they pass {@code read.next()}), and bump it; they return
 * {@code false} when someone else wrote first. {@link #updateIAmAlive} is a plain write of one
 * column that leaves the version alone.
 */
public interface MembershipTable {

    /** Reads every row and the version. */
    CompletableFuture<MembershipTableData> readAll();

    /** Reads one silo's row (if any) and the version. */
    CompletableFuture<MembershipTableData> readRow(SiloAddress silo);

    /** Inserts a row that must not exist yet; {@code version} is the read version's {@code next()}. */
    CompletableFuture<Boolean> insertRow(MembershipEntry entry, TableVersion version);

    /** Replaces a row whose ETag is still {@code etag}; {@code version} is the read version's {@code next()}. */
    CompletableFuture<Boolean> updateRow(MembershipEntry entry, String etag, TableVersion version);

    /** Writes the row's IAmAlive time only: neither the version nor the row's ETag change. */
    CompletableFuture<Void> updateIAmAlive(MembershipEntry entry);

    /** Deletes the rows of Dead silos whose IAmAlive time is before {@code cutoff}. */
    CompletableFuture<Void> cleanupDefunctSiloEntries(Instant cutoff);

    /**
     * The Active silos that accept clients, as {@code host:gatewayPort} endpoints ({@link HostPort#toString()}, which
     * {@link HostPort#parse} reads back).
     */
    default CompletableFuture<List<String>> getGateways() {
        return readAll()
                .thenApply(data -> data.rows().stream()
                        .map(MembershipRow::entry)
                        .filter(e -> e.status().isActive() && e.gatewayPort() > 0)
                        .map(e -> new HostPort(e.silo().host(), e.gatewayPort()).toString())
                        .toList());
    }
}
