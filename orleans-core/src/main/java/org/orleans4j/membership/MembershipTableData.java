package org.orleans4j.membership;

import java.util.List;
import java.util.Optional;
import org.orleans4j.cluster.SiloAddress;

/** A consistent read of the membership table: rows and the version they belong to. */
public record MembershipTableData(List<MembershipRow> rows, TableVersion version) {

    public MembershipTableData {
        rows = List.copyOf(rows);
    }

    public Optional<MembershipRow> row(SiloAddress silo) {
        return rows.stream().filter(r -> r.entry().silo().equals(silo)).findFirst();
    }
}
