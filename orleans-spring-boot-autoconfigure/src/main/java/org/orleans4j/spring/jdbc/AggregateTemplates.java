package org.orleans4j.spring.jdbc;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.jdbc.core.convert.DataAccessStrategy;
import org.springframework.data.jdbc.core.convert.DataAccessStrategyFactory;
import org.springframework.data.jdbc.core.convert.DefaultJdbcTypeFactory;
import org.springframework.data.jdbc.core.convert.JdbcCustomConversions;
import org.springframework.data.jdbc.core.convert.MappingJdbcConverter;
import org.springframework.data.jdbc.core.convert.QueryMappingConfiguration;
import org.springframework.data.jdbc.core.convert.RelationResolver;
import org.springframework.data.jdbc.core.dialect.DialectResolver;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.data.jdbc.core.mapping.JdbcMappingContext;
import org.springframework.data.relational.core.mapping.DefaultNamingStrategy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Builds Spring Data JDBC aggregate templates for the runtime's own tables. They are separate from
 * the application's (which may not exist), so table names configured here apply to them alone.
 */
public final class AggregateTemplates {

    private AggregateTemplates() {}

    /** A template mapping each entity class in {@code tables} to its table name. */
    public static JdbcAggregateTemplate create(DataSource dataSource, Map<Class<?>, String> tables) {
        return create(new JdbcTemplate(dataSource), tables);
    }

    /**
     * A template mapping each entity class in {@code tables} to its table name, running its statements
     * through {@code jdbc} (and so with its query timeout and connections).
     */
    public static JdbcAggregateTemplate create(JdbcTemplate jdbc, Map<Class<?>, String> tables) {
        NamedParameterJdbcTemplate operations = new NamedParameterJdbcTemplate(jdbc);
        JdbcDialect dialect = DialectResolver.getDialect(operations.getJdbcOperations());
        JdbcMappingContext mapping = new JdbcMappingContext(new DefaultNamingStrategy() {
            @Override
            public String getTableName(Class<?> type) {
                return tables.getOrDefault(type, super.getTableName(type));
            }
        });
        // The DDL uses unquoted names, which H2 folds to upper case; quoting would miss them.
        mapping.setForceQuote(false);
        JdbcCustomConversions conversions = JdbcCustomConversions.of(dialect, List.of());
        mapping.setSimpleTypeHolder(conversions.getSimpleTypeHolder());
        // The runtime's aggregates are flat (no collections of entities), so nothing is ever resolved.
        RelationResolver noRelations = (identifier, path) -> {
            throw new IllegalStateException("The runtime's tables have no relations, yet " + path + " was resolved");
        };
        MappingJdbcConverter converter = new MappingJdbcConverter(
                mapping, noRelations, conversions, new DefaultJdbcTypeFactory(operations.getJdbcOperations()));
        DataAccessStrategy access =
                new DataAccessStrategyFactory(converter, operations, dialect, QueryMappingConfiguration.EMPTY).create();
        return new JdbcAggregateTemplate(converter, access);
    }
}
