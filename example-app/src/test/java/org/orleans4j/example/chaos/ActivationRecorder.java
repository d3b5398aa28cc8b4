package org.orleans4j.example.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.orleans4j.grain.GrainBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;

/**
 * Silo side of the {@link ActivationLedger}: every grain instance the runtime creates is one activation
 * (the catalog creates it only after the activation won its directory registration, and releases it
 * when the activation ends, failed or deactivated, before it leaves the directory), so its creation and
 * destruction bracket the time it could serve calls, and a next activation elsewhere starts after this
 * one's destruction was recorded.
 *
 * <p>The start row is written before the instance is handed to the runtime, synchronously: an activation
 * whose start could not be recorded fails, so none serves calls unrecorded, even if the silo is killed
 * a moment later. The stop row is written when the instance is released; one that is never written (the
 * silo was killed, or the database refused it) makes the ledger end the activation when its silo process
 * ended, which is later, never earlier, than its real end.
 */
final class ActivationRecorder implements DestructionAwareBeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(ActivationRecorder.class);

    private final Supplier<DataSource> dataSource;
    private final String siloInstance;
    private final Map<Object, String> activationIds = new ConcurrentHashMap<>();

    ActivationRecorder(Supplier<DataSource> dataSource, String siloInstance) {
        this.dataSource = dataSource;
        this.siloInstance = siloInstance;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof GrainBase grain) {
            long startedMicros = ActivationLedger.nowMicros();
            String activationId = UUID.randomUUID().toString();
            execute(
                    "INSERT INTO " + ActivationLedger.TABLE
                            + " (activation_id, grain, silo, started_us) VALUES (?, ?, ?, ?)",
                    statement -> {
                        statement.setString(1, activationId);
                        statement.setString(2, grain.grainId().toString());
                        statement.setString(3, siloInstance);
                        statement.setLong(4, startedMicros);
                    });
            activationIds.put(bean, activationId);
        }
        return bean;
    }

    @Override
    public boolean requiresDestruction(Object bean) {
        return bean instanceof GrainBase;
    }

    @Override
    public void postProcessBeforeDestruction(Object bean, String beanName) {
        String activationId = activationIds.remove(bean);
        if (activationId == null) {
            return;
        }
        long stoppedMicros = ActivationLedger.nowMicros();
        try {
            execute("UPDATE " + ActivationLedger.TABLE + " SET stopped_us = ? WHERE activation_id = ?", statement -> {
                statement.setLong(1, stoppedMicros);
                statement.setString(2, activationId);
            });
        } catch (IllegalStateException e) {
            // The ledger then ends this activation when the silo process ended: later than it did, never earlier.
            log.warn("Could not record the end of activation {}; the ledger ends it with its silo", activationId, e);
        }
    }

    private void execute(String sql, StatementBinder binder) {
        try (Connection connection = dataSource.get().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("activation ledger: " + sql + " failed", e);
        }
    }

    @FunctionalInterface
    private interface StatementBinder {
        void bind(PreparedStatement statement) throws SQLException;
    }
}
