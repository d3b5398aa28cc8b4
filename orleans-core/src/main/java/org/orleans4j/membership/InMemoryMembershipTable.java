package org.orleans4j.membership;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;

/** A membership table in this JVM's memory, shared by the silos of an in-JVM test cluster. */
public final class InMemoryMembershipTable implements MembershipTable {

    private final Map<SiloAddress, MembershipRow> rows = new LinkedHashMap<>();
    private long version;
    private long etagCounter;

    @Override
    public synchronized CompletableFuture<MembershipTableData> readAll() {
        return CompletableFuture.completedFuture(snapshot(new ArrayList<>(rows.values())));
    }

    @Override
    public synchronized CompletableFuture<MembershipTableData> readRow(SiloAddress silo) {
        MembershipRow row = rows.get(silo);
        return CompletableFuture.completedFuture(snapshot(row == null ? List.of() : List.of(row)));
    }

    private MembershipTableData snapshot(List<MembershipRow> selected) {
        return new MembershipTableData(selected, new TableVersion(version, Long.toString(version)));
    }

    @Override
    public synchronized CompletableFuture<Boolean> insertRow(MembershipEntry entry, TableVersion next) {
        if (rows.containsKey(entry.silo()) || next.version() != version + 1) {
            return CompletableFuture.completedFuture(false);
        }
        rows.put(entry.silo(), new MembershipRow(entry, newEtag()));
        version = next.version();
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public synchronized CompletableFuture<Boolean> updateRow(MembershipEntry entry, String etag, TableVersion next) {
        MembershipRow current = rows.get(entry.silo());
        if (current == null || !current.etag().equals(etag) || next.version() != version + 1) {
            return CompletableFuture.completedFuture(false);
        }
        rows.put(entry.silo(), new MembershipRow(entry, newEtag()));
        version = next.version();
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public synchronized CompletableFuture<Void> updateIAmAlive(MembershipEntry entry) {
        MembershipRow current = rows.get(entry.silo());
        if (current != null) {
            rows.put(
                    entry.silo(),
                    new MembershipRow(current.entry().withIAmAliveTime(entry.iAmAliveTime()), current.etag()));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> cleanupDefunctSiloEntries(Instant cutoff) {
        rows.values()
                .removeIf(r -> r.entry().status() == SiloStatus.DEAD
                        && r.entry().iAmAliveTime() != null
                        && r.entry().iAmAliveTime().isBefore(cutoff));
        return CompletableFuture.completedFuture(null);
    }

    private String newEtag() {
        return Long.toString(++etagCounter);
    }
}
