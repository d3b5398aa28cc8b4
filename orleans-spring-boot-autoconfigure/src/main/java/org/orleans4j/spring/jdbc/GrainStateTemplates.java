package org.orleans4j.spring.jdbc;

import java.util.List;
import javax.sql.DataSource;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.jdbc.core.convert.DataAccessStrategy;
import org.springframework.data.jdbc.core.convert.DataAccessStrategyFactory;
import org.springframework.data.jdbc.core.convert.DefaultJdbcTypeFactory;
import org.springframework.data.jdbc.core.convert.DelegatingDataAccessStrategy;
import org.springframework.data.jdbc.core.convert.JdbcCustomConversions;
import org.springframework.data.jdbc.core.convert.MappingJdbcConverter;
import org.springframework.data.jdbc.core.convert.QueryMappingConfiguration;
import org.springframework.data.jdbc.core.dialect.DialectResolver;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.data.jdbc.core.mapping.JdbcMappingContext;
import org.springframework.data.relational.core.mapping.DefaultNamingStrategy;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Builds the Spring Data JDBC aggregate template that stores {@link GrainStateRecord}s. It is the
 * storage's own (not the application's), so that the configured table name applies to it alone.
 */
final class GrainStateTemplates {

    private GrainStateTemplates() {
    }

    static JdbcAggregateTemplate create(DataSource dataSource, String table) {
        NamedParameterJdbcTemplate operations = new NamedParameterJdbcTemplate(dataSource);
        JdbcDialect dialect = DialectResolver.getDialect(operations.getJdbcOperations());
        JdbcMappingContext mapping = new JdbcMappingContext(new DefaultNamingStrategy() {
            @Override
            public String getTableName(Class<?> type) {
                return type == GrainStateRecord.class ? table : super.getTableName(type);
            }
        });
        // The DDL uses unquoted names, which H2 folds to upper case; quoting would miss them.
        mapping.setForceQuote(false);
        JdbcCustomConversions conversions = JdbcCustomConversions.of(dialect, List.of());
        mapping.setSimpleTypeHolder(conversions.getSimpleTypeHolder());
        DelegatingDataAccessStrategy relations = new DelegatingDataAccessStrategy();
        MappingJdbcConverter converter = new MappingJdbcConverter(mapping, relations, conversions,
                new DefaultJdbcTypeFactory(operations.getJdbcOperations()));
        DataAccessStrategy access = new DataAccessStrategyFactory(converter, operations, dialect,
                QueryMappingConfiguration.EMPTY).create();
        relations.setDelegate(access);
        return new JdbcAggregateTemplate(converter, access);
    }
}
