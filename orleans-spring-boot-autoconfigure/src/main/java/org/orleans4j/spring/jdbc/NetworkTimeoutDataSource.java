package org.orleans4j.spring.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Hands out the application's connections with a socket read timeout ({@link Connection#setNetworkTimeout})
 * while the runtime uses them, and puts the previous value back when they are closed (returned to the
 * pool). A frozen database server accepts bytes but never answers, and ignores the cancel of a query
 * timeout; without a read timeout the thread waiting for its answer waits until the server thaws.
 * With one, the driver gives up and drops that connection, and the thread is free again.
 * <p>
 * A connection that arrives for a call whose caller already gave up ({@link BoundedJdbcExecutor}) goes
 * straight back to the pool: a write reported as failed must not start after the database thaws.
 */
public final class NetworkTimeoutDataSource extends DelegatingDataSource {

    private static final Logger log = LoggerFactory.getLogger(NetworkTimeoutDataSource.class);

    /** Drivers use the executor only to apply the timeout asynchronously; doing it at once is fine. */
    private static final Executor DIRECT = Runnable::run;

    /** Drivers already reported as lacking network timeouts, so each is reported once. */
    private static final Set<String> UNSUPPORTED = ConcurrentHashMap.newKeySet();

    private final int networkTimeoutMillis;

    public NetworkTimeoutDataSource(DataSource target, int networkTimeoutMillis) {
        super(target);
        if (networkTimeoutMillis <= 0) {
            throw new IllegalArgumentException("The network timeout must be positive, was " + networkTimeoutMillis);
        }
        this.networkTimeoutMillis = networkTimeoutMillis;
    }

    int networkTimeoutMillis() {
        return networkTimeoutMillis;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return guard(obtainTargetDataSource().getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return guard(obtainTargetDataSource().getConnection(username, password));
    }

    private Connection guard(Connection connection) throws SQLException {
        if (BoundedJdbcExecutor.callerGaveUp()) {
            connection.close();
            throw new SQLTimeoutException(
                    "The caller stopped waiting before a connection was available; " + "the statement is not run");
        }
        int previous;
        try {
            previous = connection.getNetworkTimeout();
            connection.setNetworkTimeout(DIRECT, networkTimeoutMillis);
        } catch (SQLException | UnsupportedOperationException | AbstractMethodError e) {
            reportUnsupported(connection, e);
            return connection;
        }
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                new Restoring(connection, previous));
    }

    private static void reportUnsupported(Connection connection, Throwable e) throws SQLException {
        if (connection.isClosed()) {
            throw e instanceof SQLException sql ? sql : new SQLException(e);
        }
        String driver;
        try {
            driver = connection.getMetaData().getDriverName();
        } catch (SQLException metadata) {
            driver = connection.getClass().getName();
        }
        if (UNSUPPORTED.add(driver)) {
            log.info(
                    "The JDBC driver '{}' does not take a network timeout ({}); orleans.jdbc.timeout still bounds "
                            + "every wait of the runtime, but a frozen database server holds the runtime's JDBC threads until "
                            + "it answers. Set a socket timeout in the JDBC URL if the driver has one",
                    driver,
                    e.toString());
        }
    }

    /** Delegates everything; on close, puts the connection's own network timeout back first. */
    private record Restoring(Connection target, int previous) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close" -> {
                    restore();
                    target.close();
                    return null;
                }
                case "unwrap" -> {
                    if (((Class<?>) args[0]).isInstance(proxy)) {
                        return proxy;
                    }
                }
                case "isWrapperFor" -> {
                    if (((Class<?>) args[0]).isInstance(proxy)) {
                        return true;
                    }
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "Connection with a network timeout: " + target;
                }
                default -> {}
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private void restore() {
            try {
                if (!target.isClosed()) {
                    target.setNetworkTimeout(DIRECT, previous);
                }
            } catch (SQLException e) {
                // The connection broke (a read timed out, say); the pool discards it on close, so the value no longer
                // matters.
                log.debug("Could not restore the network timeout of {} before closing it: {}", target, e.toString());
            }
        }
    }
}
