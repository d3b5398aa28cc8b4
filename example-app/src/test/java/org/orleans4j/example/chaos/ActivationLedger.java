package org.orleans4j.example.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The table in which every activation of the chaos cluster records its start and stop (written by
 * {@link ActivationRecorder} in the silos), and the search for duplicates in it: two activations of one
 * grain whose lives overlap. All processes run on this machine, so their wall clocks are one clock.
 */
final class ActivationLedger {

    static final String TABLE = "chaos_activation";

    private final String jdbcUrl;

    ActivationLedger(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** Now, in microseconds since the epoch: the ledger's time unit. */
    static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    void createTable() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + TABLE + " (activation_id VARCHAR(36) PRIMARY KEY,"
                    + " grain VARCHAR(1200) NOT NULL, silo VARCHAR(100) NOT NULL, started_us BIGINT NOT NULL,"
                    + " stopped_us BIGINT)");
        }
    }

    /**
     * One activation's life; {@code stoppedMicros} is the silo's end when the activation recorded none
     * ({@code stopRecorded} false).
     */
    record Activation(
            String activationId,
            String grain,
            String silo,
            long startedMicros,
            long stoppedMicros,
            boolean stopRecorded) {}

    /** Two activations of one grain alive at the same time, for {@code overlapMicros}. */
    record Duplicate(Activation first, Activation second, long overlapMicros) {}

    /**
     * An activation of a grain on one silo followed by the next on another, {@code gapMicros} after the
     * first ended: how close the run came to a duplicate.
     */
    record Handover(Activation before, Activation after, long gapMicros) {}

    /**
     * Every recorded activation. One without a stop row ends when its silo process ended
     * ({@code siloEnd}: the kill's or the exit's time); one of a silo still running is alive now.
     */
    List<Activation> activations(ToLongFunction<String> siloEnd) throws SQLException {
        List<Activation> activations = new ArrayList<>();
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT activation_id, grain, silo, started_us, stopped_us FROM " + TABLE)) {
            while (rows.next()) {
                String silo = rows.getString(3);
                long stopped = rows.getLong(5);
                boolean recorded = !rows.wasNull();
                if (!recorded) {
                    stopped = siloEnd.applyAsLong(silo);
                }
                activations.add(
                        new Activation(rows.getString(1), rows.getString(2), silo, rows.getLong(4), stopped, recorded));
            }
        }
        return activations;
    }

    /** The overlapping pairs among {@code activations}, grain by grain. */
    static List<Duplicate> duplicates(List<Activation> activations) {
        List<Duplicate> duplicates = new ArrayList<>();
        for (List<Activation> lives : byGrain(activations)) {
            // Sorted by start, each life is compared with the longest-lasting one before it.
            Activation latestEnding = null;
            for (Activation life : lives) {
                if (latestEnding != null && life.startedMicros() < latestEnding.stoppedMicros()) {
                    duplicates.add(new Duplicate(
                            latestEnding,
                            life,
                            Math.min(latestEnding.stoppedMicros(), life.stoppedMicros()) - life.startedMicros()));
                }
                if (latestEnding == null || life.stoppedMicros() > latestEnding.stoppedMicros()) {
                    latestEnding = life;
                }
            }
        }
        return duplicates;
    }

    /**
     * The {@code limit} closest hand-overs between silos among {@code activations} that do not overlap:
     * per grain, each activation and the next one to start, when that one is on another silo.
     */
    static List<Handover> closestHandovers(List<Activation> activations, int limit) {
        List<Handover> handovers = new ArrayList<>();
        for (List<Activation> lives : byGrain(activations)) {
            for (int i = 1; i < lives.size(); i++) {
                Activation before = lives.get(i - 1);
                Activation after = lives.get(i);
                long gap = after.startedMicros() - before.stoppedMicros();
                if (gap >= 0 && !before.silo().equals(after.silo())) {
                    handovers.add(new Handover(before, after, gap));
                }
            }
        }
        handovers.sort(Comparator.comparingLong(Handover::gapMicros));
        return handovers.subList(0, Math.min(limit, handovers.size()));
    }

    /** The activations of each grain, each list sorted by start. */
    private static List<List<Activation>> byGrain(List<Activation> activations) {
        Map<String, List<Activation>> byGrain = new HashMap<>();
        for (Activation activation : activations) {
            byGrain.computeIfAbsent(activation.grain(), grain -> new ArrayList<>())
                    .add(activation);
        }
        List<List<Activation>> lives = new ArrayList<>(byGrain.values());
        lives.forEach(list -> list.sort(Comparator.comparingLong(Activation::startedMicros)));
        return lives;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "");
    }
}
