package org.orleans4j.spring.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.orleans4j.spring.silo.app.FriendsGrain;
import org.orleans4j.spring.silo.app.GrainTestApplication;
import org.orleans4j.spring.silo.app.GreeterGrain;
import org.orleans4j.spring.silo.app.PinnedDirector;
import org.orleans4j.testing.db.H2Databases;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Grain references in JDBC-stored state are kept as grain ids and work again after the silo restarts. */
class GrainReferencesInStateTest {

    private final ApplicationContextRunner silo = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    JdbcGrainStorageAutoConfiguration.class,
                    OrleansAutoConfiguration.class))
            .withUserConfiguration(GrainTestApplication.class)
            .withBean(PinnedDirector.class)
            .withPropertyValues(H2Databases.springDataSourceUrl("grain-references"));

    @Test
    void aStoredReferenceIsCalledAfterARestart() {
        silo.run(context -> {
            GrainFactory grains = context.getBean(GrainFactory.class);
            FriendsGrain friends = grains.getGrain(FriendsGrain.class, "me");
            friends.befriend(grains.getGrain(GreeterGrain.class, "ann")).join();
            friends.befriend(grains.getGrain(GreeterGrain.class, "bob")).join();

            String payload = JdbcClient.create(context.getBean(javax.sql.DataSource.class))
                    .sql("SELECT payload FROM orleans_grain_state WHERE state_name = 'friends'")
                    .query(String.class)
                    .single();
            assertThat(payload.replace(" ", ""))
                    .contains("\"first\":{\"type\":\"greeter\",\"key\":\"ann\",\"keyKind\":\"STRING\"}")
                    .contains("{\"type\":\"greeter\",\"key\":\"bob\",\"keyKind\":\"STRING\"}");
        });
        // A new context is a new silo: the state is read from the database, the references made anew.
        silo.run(context -> assertThat(context.getBean(GrainFactory.class)
                        .getGrain(FriendsGrain.class, "me")
                        .greetAll()
                        .join())
                .extracting(greeting -> greeting.substring(greeting.lastIndexOf(' ') + 1))
                .containsExactly("ann", "ann", "bob"));
    }
}
