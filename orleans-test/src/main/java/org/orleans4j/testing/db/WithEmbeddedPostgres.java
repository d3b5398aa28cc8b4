package org.orleans4j.testing.db;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class on a real PostgreSQL server: one embedded server per JVM, started at the first class
 * that asks for it and stopped when the test run ends, and a fresh database of its own for each test
 * class. Declare a {@link PostgresDatabase} parameter (in a {@code @BeforeAll} method, a constructor, a
 * {@code @BeforeEach} or a test method) to get the class's database.
 *
 * <pre>{@code
 * @WithEmbeddedPostgres
 * class PostgresThingTest {
 *     static DataSource dataSource;
 *
 *     @BeforeAll
 *     static void start(PostgresDatabase database) {
 *         dataSource = database.dataSource();
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedPostgresExtension.class)
public @interface WithEmbeddedPostgres {}
