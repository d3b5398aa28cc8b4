package org.orleans4j.spring.membership;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloManifest;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.GrainException;
import org.orleans4j.membership.MembershipEntry;
import org.orleans4j.membership.MembershipRow;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.membership.MembershipTableData;
import org.orleans4j.membership.TableVersion;
import org.orleans4j.spring.jdbc.AggregateTemplates;
import org.orleans4j.spring.jdbc.BoundedJdbcExecutor;
import org.orleans4j.spring.jdbc.JdbcTimeout;
import org.orleans4j.spring.jdbc.SchemaStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.IncorrectUpdateSemanticsDataAccessException;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The membership table in a relational database (H2, PostgreSQL) through Spring Data JDBC, scoped
 * by service id and cluster id. A version row per cluster serializes writes: an insert or update moves it from {@code n} to
 * {@code n + 1} in the same transaction as the silo row, so of concurrent writers that read the
 * same version exactly one commits. Row ETags are a per-row counter.
 * <p>
 * Every call runs on two threads of the table's own and is bounded by the {@link JdbcTimeout}: a
 * database that does not answer in time fails the call with a {@link GrainException} naming it, so
 * the membership step that made it fails and runs again at its next period.
 */
public class JdbcMembershipTable implements MembershipTable, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JdbcMembershipTable.class);

    private static final String KEY = " WHERE service_id = ? AND cluster_id = ?";
    private static final String ROW_KEY = KEY + " AND address = ? AND port = ? AND generation = ?";
    private static final String COLUMNS = "m.address, m.port, m.generation, m.silo_name, m.host_name, m.status, "
            + "m.gateway_port, m.role_name, m.start_time_ms, m.i_am_alive_time_ms, m.suspect_votes, m.row_version, "
            + "m.app_version, m.grain_manifest";

    private final JdbcClient jdbc;
    private final JdbcAggregateTemplate records;
    private final TransactionTemplate transactions;
    private final String serviceId;
    private final String clusterId;
    private final BoundedJdbcExecutor executor;

    /** A table whose calls are bounded by the default {@link JdbcTimeout}. */
    public JdbcMembershipTable(DataSource dataSource, String serviceId, String clusterId) {
        this(dataSource, serviceId, clusterId, JdbcTimeout.DEFAULT);
    }

    /** A table whose calls (statements, connection reads, the caller's wait) are bounded by {@code timeout}. */
    public JdbcMembershipTable(DataSource dataSource, String serviceId, String clusterId, JdbcTimeout timeout) {
        // The transaction manager and the templates must share one DataSource, or writes leave the transaction.
        DataSource guarded = timeout.guard(dataSource);
        JdbcTemplate template = timeout.template(guarded);
        this.jdbc = JdbcClient.create(template);
        this.records = AggregateTemplates.create(
                template,
                Map.of(
                        MembershipRecords.VersionRecord.class,
                        "orleans_membership_version",
                        MembershipRecords.SiloRecord.class,
                        "orleans_membership"));
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(guarded));
        this.transactions.setTimeout(timeout.queryTimeoutSeconds());
        this.serviceId = serviceId;
        this.clusterId = clusterId;
        this.executor = new BoundedJdbcExecutor("JDBC membership table", "orleans-membership-table", 2, timeout);
    }

    /** The bound of each call. */
    public JdbcTimeout timeout() {
        return executor.timeout();
    }

    /** Creates the tables if they do not exist and this cluster's version row. */
    public void initialize(boolean createSchema) {
        if (createSchema) {
            SchemaStatements.executeScript(jdbc, "org/orleans4j/spring/membership/membership.sql");
        }
        try {
            records.insert(new MembershipRecords.VersionRecord(clusterKey(), null, System.currentTimeMillis()));
        } catch (DataIntegrityViolationException alreadyThere) {
            // Another silo of the cluster created it first.
        }
    }

    @Override
    public CompletableFuture<MembershipTableData> readAll() {
        return async("read the membership table", () -> read(""));
    }

    @Override
    public CompletableFuture<MembershipTableData> readRow(SiloAddress silo) {
        return async("read the membership row of " + silo, () -> read(silo.toString()));
    }

    /** One statement, so the rows and the version are a consistent snapshot. */
    private MembershipTableData read(String onlySilo) {
        boolean one = !onlySilo.isEmpty();
        String sql = "SELECT v.version, " + COLUMNS + " FROM orleans_membership_version v"
                + " LEFT JOIN orleans_membership m ON m.service_id = v.service_id AND m.cluster_id = v.cluster_id"
                + (one ? " AND m.address = ? AND m.port = ? AND m.generation = ?" : "")
                + " WHERE v.service_id = ? AND v.cluster_id = ?";
        List<Object> params = new ArrayList<>();
        if (one) {
            SiloAddress silo = SiloAddress.parse(onlySilo);
            params.add(silo.host());
            params.add(silo.port());
            params.add(silo.generation());
        }
        params.add(serviceId);
        params.add(clusterId);
        long[] version = {-1};
        List<MembershipRow> rows = new ArrayList<>();
        jdbc.sql(sql).params(params).query((ResultSet rs) -> {
            version[0] = rs.getLong(1);
            if (rs.getString(2) != null) {
                rows.add(row(rs));
            }
        });
        if (version[0] < 0) {
            throw new IllegalStateException("The membership version row of service '" + serviceId + "' cluster '"
                    + clusterId + "' is missing; was the table initialized?");
        }
        return new MembershipTableData(rows, new TableVersion(version[0], Long.toString(version[0])));
    }

    private static MembershipRow row(ResultSet rs) throws SQLException {
        SiloAddress silo = new SiloAddress(rs.getString(2), rs.getInt(3), rs.getLong(4));
        MembershipEntry entry = new MembershipEntry(
                silo,
                SiloStatus.valueOf(rs.getString(7)),
                rs.getString(5),
                rs.getString(6),
                rs.getInt(8),
                rs.getString(9),
                instant(rs, 10),
                instant(rs, 11),
                SuspectVotesCodec.decode(rs.getString(12)),
                manifest(silo, rs.getString(14), rs.getString(15)));
        return new MembershipRow(entry, Long.toString(rs.getLong(13)));
    }

    /** What a row says its silo hosts; null for a row written without it (every type, as before manifests). */
    private static @Nullable SiloManifest manifest(
            SiloAddress silo, @Nullable String appVersion, @Nullable String text) {
        if (text == null) {
            return null;
        }
        try {
            return SiloManifest.fromText(appVersion == null ? "" : appVersion, text);
        } catch (IllegalArgumentException e) {
            log.warn(
                    "The membership row of {} has a malformed grain manifest ({}); no grain is placed on it",
                    silo,
                    e.getMessage());
            return new SiloManifest(appVersion == null ? "" : appVersion, java.util.Set.of(), java.util.Map.of());
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public CompletableFuture<Boolean> insertRow(MembershipEntry entry, TableVersion version) {
        return async(
                "insert the membership row of " + entry.silo(),
                () -> write(version, () -> {
                    records.insert(record(entry, null));
                    return true;
                }));
    }

    @Override
    public CompletableFuture<Boolean> updateRow(MembershipEntry entry, String etag, TableVersion version) {
        return async(
                "update the membership row of " + entry.silo(),
                () -> write(version, () -> {
                    records.update(record(entry, parseEtag(etag)));
                    return true;
                }));
    }

    private MembershipRecords.ClusterKey clusterKey() {
        return new MembershipRecords.ClusterKey(serviceId, clusterId);
    }

    private MembershipRecords.SiloRecord record(MembershipEntry entry, Long rowVersion) {
        SiloAddress s = entry.silo();
        return new MembershipRecords.SiloRecord(
                new MembershipRecords.SiloKey(serviceId, clusterId, s.host(), s.port(), s.generation()),
                entry.siloName(),
                entry.hostName(),
                entry.status().name(),
                entry.gatewayPort(),
                entry.roleName(),
                millis(entry.startTime()),
                millis(entry.iAmAliveTime()),
                SuspectVotesCodec.encode(entry.suspectVotes()),
                rowVersion,
                entry.manifest() == null ? null : entry.manifest().appVersion(),
                entry.manifest() == null ? null : entry.manifest().toText());
    }

    /**
     * Bumps the version row from {@code next - 1} to {@code next} and applies {@code change} in one
     * transaction; any conflict (version moved, row changed, duplicate, lock conflict) is {@code false}.
     */
    private boolean write(TableVersion next, Supplier<Boolean> change) {
        try {
            Boolean done = transactions.execute(status -> {
                records.update(new MembershipRecords.VersionRecord(
                        clusterKey(), next.version() - 1, System.currentTimeMillis()));
                if (!change.get()) {
                    status.setRollbackOnly();
                    return false;
                }
                return true;
            });
            return Boolean.TRUE.equals(done);
        } catch (RuntimeException e) {
            if (isConflict(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Lost races surface as these, wrapped differently per operation. */
    private static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataIntegrityViolationException
                    || t instanceof ConcurrencyFailureException
                    || t instanceof IncorrectUpdateSemanticsDataAccessException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public CompletableFuture<Void> updateIAmAlive(MembershipEntry entry) {
        return async("update IAmAlive of " + entry.silo(), () -> {
            SiloAddress s = entry.silo();
            jdbc.sql("UPDATE orleans_membership SET i_am_alive_time_ms = ?" + ROW_KEY)
                    .params(millis(entry.iAmAliveTime()), serviceId, clusterId, s.host(), s.port(), s.generation())
                    .update();
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> cleanupDefunctSiloEntries(Instant cutoff) {
        return async("clean up defunct membership rows", () -> {
            jdbc.sql("DELETE FROM orleans_membership" + KEY + " AND status = ? AND i_am_alive_time_ms < ?")
                    .params(serviceId, clusterId, SiloStatus.DEAD.name(), cutoff.toEpochMilli())
                    .update();
            return null;
        });
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static Long parseEtag(String etag) {
        try {
            return Long.valueOf(etag);
        } catch (NumberFormatException e) {
            return -1L; // never matches: a foreign ETag is simply stale
        }
    }

    private <T> CompletableFuture<T> async(String what, Supplier<T> body) {
        String scoped = what + " (service '" + serviceId + "', cluster '" + clusterId + "')";
        return executor.submit(
                scoped,
                body,
                e -> e instanceof DataAccessException data
                        ? new GrainException(
                                "Could not " + scoped + ": "
                                        + data.getMostSpecificCause().getMessage(),
                                e)
                        : e);
    }

    @Override
    public void destroy() {
        executor.shutdown();
    }
}
