package org.orleans4j.spring.actuate.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.orleans4j.membership.ClusterMembershipService;
import org.orleans4j.membership.ClusterMembershipSnapshot;
import org.orleans4j.membership.MembershipEntry;
import org.orleans4j.membership.MembershipRow;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.membership.MembershipTableData;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.actuate.endpoint.MembershipReport.Member;

/**
 * Reads the membership for the {@code membership} section: the table itself when the silo is in a
 * cluster (one query per request, so the report shows IAmAlive times and votes as they are now,
 * which the silo's cached snapshot does not hold), else just this silo.
 */
public class MembershipReader {

    private final Silo silo;
    /** Null when no table bean exists (a silo on its own, or a table configured past the beans). */
    private final MembershipTable table;

    private final Duration timeout;

    public MembershipReader(Silo silo, MembershipTable table, Duration timeout) {
        this.silo = silo;
        this.table = table;
        this.timeout = timeout;
    }

    public MembershipReport read() {
        ClusterMembershipService membership = silo.membership();
        if (membership == null) {
            return alone();
        }
        if (table == null) {
            return fromSnapshot(membership.currentSnapshot());
        }
        MembershipTableData data = readTable();
        List<Member> members = data.rows().stream()
                .map(MembershipRow::entry)
                .sorted(Comparator.comparing(MembershipEntry::silo))
                .map(Member::of)
                .toList();
        return new MembershipReport("table", data.version().version(), members);
    }

    private MembershipTableData readTable() {
        try {
            return table.readAll().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the membership table", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Reading the membership table failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Reading the membership table took longer than " + timeout, e);
        }
    }

    private static MembershipReport fromSnapshot(ClusterMembershipSnapshot snapshot) {
        List<Member> members = snapshot.members().values().stream()
                .map(m -> new Member(
                        m.silo().toString(),
                        m.name(),
                        null,
                        m.role(),
                        m.status().name(),
                        null,
                        null,
                        List.of(),
                        null,
                        m.manifest() == null ? null : m.appVersion()))
                .toList();
        return new MembershipReport("snapshot", snapshot.version(), members);
    }

    private MembershipReport alone() {
        // The generation is the silo's start time in epoch milliseconds; nothing else records it.
        Member self = new Member(
                silo.address().toString(),
                silo.siloOptions().siloName(),
                null,
                silo.siloOptions().effectiveRole(),
                silo.status().name(),
                Instant.ofEpochMilli(silo.address().generation()),
                null,
                List.of(),
                null,
                null);
        return new MembershipReport("silo", null, List.of(self));
    }
}
