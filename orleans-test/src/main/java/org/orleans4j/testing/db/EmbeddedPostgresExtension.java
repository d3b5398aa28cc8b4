package org.orleans4j.testing.db;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link WithEmbeddedPostgres}: resolves {@link PostgresDatabase} parameters to
 * the test class's own database on the JVM's {@link EmbeddedPostgresServer}. The server is stopped
 * when the test run ends; each class's database is dropped when the class is done.
 */
public final class EmbeddedPostgresExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedPostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return parameterContext.getParameter().getType() == PostgresDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return database(extensionContext);
    }

    /** The database of the test class of {@code context} (made at its first use). */
    public static PostgresDatabase database(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        Class<?> testClass = classContext.getRequiredTestClass();
        return classContext
                .getStore(NAMESPACE)
                .computeIfAbsent(
                        ClassDatabase.class,
                        key -> new ClassDatabase(server(context), testClass.getSimpleName()),
                        ClassDatabase.class)
                .database;
    }

    private static EmbeddedPostgresServer server(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(EmbeddedPostgresServer.class, key -> new RunScopedServer(), RunScopedServer.class)
                .server;
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    /** Stops the shared server when the root store closes, at the end of the test run. */
    private static final class RunScopedServer implements AutoCloseable {
        final EmbeddedPostgresServer server = EmbeddedPostgresServer.shared();

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    /** Drops the class's database when the class's store closes. */
    private static final class ClassDatabase implements AutoCloseable {
        final EmbeddedPostgresServer server;
        final PostgresDatabase database;

        ClassDatabase(EmbeddedPostgresServer server, String className) {
            this.server = server;
            this.database = server.newDatabase(className);
        }

        @Override
        public void close() {
            try {
                server.dropDatabase(database);
            } catch (RuntimeException e) {
                // Left for the server's end: a class's leftover database harms no other class.
            }
        }
    }
}
