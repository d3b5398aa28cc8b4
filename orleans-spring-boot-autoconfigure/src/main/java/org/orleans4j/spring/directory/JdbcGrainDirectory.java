package org.orleans4j.spring.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.directory.GrainDirectory;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.KeyKind;
import org.orleans4j.spring.jdbc.AggregateTemplates;
import org.orleans4j.spring.jdbc.BoundedJdbcExecutor;
import org.orleans4j.spring.jdbc.JdbcTimeout;
import org.orleans4j.spring.jdbc.SchemaStatements;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The grain directory in a relational database (H2, PostgreSQL), like Orleans' ADO.NET grain
 * directory: one row per grain, scoped by service id and cluster id, shared by all silos of the
 * cluster. Every change is a single statement, so the database decides each race: an insert that
 * hits the primary key lost to an earlier registration, and an update or delete whose condition
 * names an activation that is no longer registered changes nothing.
 * <p>
 * Statements run on threads of the directory's own and each call is bounded by the
 * {@link JdbcTimeout}: when the database does not answer in time, the call fails with a
 * {@link GrainException} naming it (the activation or lookup that needed it fails; cached lookups
 * keep serving calls to grains already active).
 */
public class JdbcGrainDirectory implements GrainDirectory, DisposableBean {

    private static final String TABLE = "orleans_grain_directory";
    private static final String CLUSTER = " WHERE service_id = ? AND cluster_id = ?";
    private static final String ACTIVATION = CLUSTER + " AND grain_type = ? AND grain_key = ?"
            + " AND activation_id = ? AND silo_address = ? AND silo_port = ? AND silo_generation = ?";
    private static final String SILO = "(silo_address = ? AND silo_port = ? AND silo_generation = ?)";

    /** Keeps a statement far below every driver's bind-parameter limit however many silos died. */
    private static final int SILOS_PER_STATEMENT = 100;

    /**
     * Each lost round means another writer changed the entry in between; this many in a row means
     * the entry is being churned without end, and the caller should hear about it.
     */
    private static final int MAX_REGISTER_ROUNDS = 10;

    /** Every activation and deactivation goes through the directory, so it gets more threads than membership. */
    private static final int THREADS = 4;

    private final JdbcClient jdbc;
    private final JdbcAggregateTemplate records;
    private final String serviceId;
    private final String clusterId;
    private final BoundedJdbcExecutor executor;

    /**
     * A directory for one cluster of one service, its calls bounded by the default {@link JdbcTimeout}.
     * Call {@link #initialize(boolean)} before use.
     *
     * @param dataSource the database holding {@code orleans_grain_directory}
     * @param serviceId the service whose entries this directory sees
     * @param clusterId the cluster (deployment) whose entries this directory sees
     */
    public JdbcGrainDirectory(DataSource dataSource, String serviceId, String clusterId) {
        this(dataSource, serviceId, clusterId, JdbcTimeout.DEFAULT);
    }

    /**
     * A directory for one cluster of one service. Call {@link #initialize(boolean)} before use.
     *
     * @param dataSource the database holding {@code orleans_grain_directory}
     * @param serviceId the service whose entries this directory sees
     * @param clusterId the cluster (deployment) whose entries this directory sees
     * @param timeout bound of each call (statements, connection reads, the caller's wait)
     */
    public JdbcGrainDirectory(DataSource dataSource, String serviceId, String clusterId, JdbcTimeout timeout) {
        JdbcTemplate template = timeout.template(dataSource);
        this.jdbc = JdbcClient.create(template);
        this.records = AggregateTemplates.create(template, Map.of(GrainDirectoryRecord.class, TABLE));
        this.serviceId = serviceId;
        this.clusterId = clusterId;
        this.executor = new BoundedJdbcExecutor("JDBC grain directory", "orleans-grain-directory", THREADS, timeout);
    }

    /** The bound of each call. */
    public JdbcTimeout timeout() {
        return executor.timeout();
    }

    /**
     * Creates the table and its index if they do not exist.
     *
     * @param createSchema {@code false} when the schema is managed elsewhere (migrations, a DBA)
     */
    public void initialize(boolean createSchema) {
        if (createSchema) {
            SchemaStatements.executeScript(jdbc, "org/orleans4j/spring/directory/grain-directory.sql");
        }
    }

    /**
     * Registers {@code address} if the grain has no entry or its entry is exactly {@code previous};
     * completes with the entry afterwards, which is {@code address} only if it won.
     */
    @Override
    public CompletableFuture<GrainAddress> register(GrainAddress address, GrainAddress previous) {
        // An entry of this grain never equals an address of another, so such a previous matches nothing.
        GrainAddress replaces = previous != null && previous.grainId().equals(address.grainId()) ? previous : null;
        return async("register " + describe(address), () -> registerNow(address, replaces));
    }

    private GrainAddress registerNow(GrainAddress address, GrainAddress replaces) {
        for (int round = 0; round < MAX_REGISTER_ROUNDS; round++) {
            if (replaces != null && replace(address, replaces)) {
                return address;
            }
            try {
                records.insert(record(address));
                return address;
            } catch (RuntimeException e) {
                if (!isDuplicateKey(e)) {
                    throw e;
                }
            }
            GrainAddress stored = find(address.grainId());
            // Absent: unregistered after our insert failed. Equal to replaces: registered again after our
            // update missed. In both cases the stored entry is not a winner yet, so the next round decides.
            if (stored != null && !stored.equals(replaces)) {
                return stored;
            }
        }
        throw new GrainException("Could not register " + describe(address) + " (service '" + serviceId
                + "', cluster '" + clusterId + "'): the entry changed under each of " + MAX_REGISTER_ROUNDS
                + " attempts");
    }

    /** The conditional update: wins only if the row still holds exactly {@code replaces}. */
    private boolean replace(GrainAddress address, GrainAddress replaces) {
        SiloAddress silo = address.silo();
        SiloAddress old = replaces.silo();
        GrainId id = address.grainId();
        return jdbc.sql("UPDATE " + TABLE + " SET key_kind = ?, silo_address = ?, silo_port = ?,"
                                + " silo_generation = ?, activation_id = ?, row_version = row_version + 1" + ACTIVATION)
                        .params(
                                id.keyKind().name(),
                                silo.host(),
                                silo.port(),
                                silo.generation(),
                                address.activationId(),
                                serviceId,
                                clusterId,
                                id.type(),
                                id.key(),
                                replaces.activationId(),
                                old.host(),
                                old.port(),
                                old.generation())
                        .update()
                == 1;
    }

    /** Spring Data JDBC wraps the translated exception, so the duplicate may be anywhere in the chain. */
    private static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DuplicateKeyException) {
                return true;
            }
        }
        return false;
    }

    /** Removes the entry only if it still points at exactly this activation on this silo. */
    @Override
    public CompletableFuture<Void> unregister(GrainAddress address) {
        return async("unregister " + describe(address), () -> {
            SiloAddress silo = address.silo();
            GrainId id = address.grainId();
            jdbc.sql("DELETE FROM " + TABLE + ACTIVATION)
                    .params(
                            serviceId,
                            clusterId,
                            id.type(),
                            id.key(),
                            address.activationId(),
                            silo.host(),
                            silo.port(),
                            silo.generation())
                    .update();
            return null;
        });
    }

    /** The registered address of {@code grainId} in this cluster, or {@code null}. */
    @Override
    public CompletableFuture<GrainAddress> lookup(GrainId grainId) {
        return async("look up grain " + grainId, () -> find(grainId));
    }

    private GrainAddress find(GrainId grainId) {
        GrainDirectoryRecord row = records.findById(
                new GrainDirectoryRecord.Key(serviceId, clusterId, grainId.type(), grainId.key()),
                GrainDirectoryRecord.class);
        if (row == null) {
            return null;
        }
        return new GrainAddress(
                GrainId.of(grainId.type(), grainId.key(), KeyKind.valueOf(row.keyKind())),
                new SiloAddress(row.siloAddress(), row.siloPort(), row.siloGeneration()),
                row.activationId());
    }

    /** Removes every entry of this cluster that points at one of {@code silos}. */
    @Override
    public CompletableFuture<Void> unregisterSilos(Collection<SiloAddress> silos) {
        // Copied on the caller's thread: the caller may reuse its collection once this returns.
        List<SiloAddress> dead = List.copyOf(silos);
        return async("unregister the entries of silos " + dead, () -> {
            for (int from = 0; from < dead.size(); from += SILOS_PER_STATEMENT) {
                List<SiloAddress> chunk = dead.subList(from, Math.min(dead.size(), from + SILOS_PER_STATEMENT));
                List<Object> params = new ArrayList<>(List.of(serviceId, clusterId));
                List<String> matches = new ArrayList<>();
                for (SiloAddress silo : chunk) {
                    matches.add(SILO);
                    params.add(silo.host());
                    params.add(silo.port());
                    params.add(silo.generation());
                }
                jdbc.sql("DELETE FROM " + TABLE + CLUSTER + " AND (" + String.join(" OR ", matches) + ")")
                        .params(params)
                        .update();
            }
            return null;
        });
    }

    private GrainDirectoryRecord record(GrainAddress address) {
        GrainId id = address.grainId();
        SiloAddress silo = address.silo();
        return new GrainDirectoryRecord(
                new GrainDirectoryRecord.Key(serviceId, clusterId, id.type(), id.key()),
                id.keyKind().name(),
                silo.host(),
                silo.port(),
                silo.generation(),
                address.activationId(),
                null);
    }

    private static String describe(GrainAddress address) {
        return "grain " + address.grainId() + " activation " + address.activationId() + " on " + address.silo();
    }

    private <T> CompletableFuture<T> async(String what, Supplier<T> body) {
        return executor.submit(
                what + " (service '" + serviceId + "', cluster '" + clusterId + "')",
                body,
                e -> e instanceof GrainException
                        ? e
                        // Spring Data JDBC wraps data access errors in its own exception, so translate them all.
                        : new GrainException(
                                "Could not " + what + " (service '" + serviceId + "', cluster '" + clusterId + "'): "
                                        + NestedExceptionUtils.getMostSpecificCause(e)
                                                .getMessage(),
                                e));
    }

    /** Stops the executor; operations requested afterwards fail with a {@link GrainException}. */
    @Override
    public void destroy() {
        executor.shutdown();
    }
}
