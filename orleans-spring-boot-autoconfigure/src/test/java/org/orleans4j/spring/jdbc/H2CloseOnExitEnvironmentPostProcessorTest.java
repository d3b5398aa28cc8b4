package org.orleans4j.spring.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Which datasource URLs get {@code DB_CLOSE_ON_EXIT=FALSE}: H2 databases opened in this JVM that do not
 * choose themselves. That the silo then leaves the table Dead on SIGTERM is shown with real processes
 * by the example's {@code GracefulRestartProcessesTest}.
 */
class H2CloseOnExitEnvironmentPostProcessorTest {

    private static String processed(String url) {
        StandardEnvironment environment = new StandardEnvironment();
        if (url != null) {
            environment
                    .getPropertySources()
                    .addFirst(new MapPropertySource("application", Map.of("spring.datasource.url", url)));
        }
        new H2CloseOnExitEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        return environment.getProperty("spring.datasource.url");
    }

    @Test
    void anH2DatabaseInThisJvmStaysOpenUntilTheContextCloses() {
        assertThat(processed("jdbc:h2:file:./data/app")).isEqualTo("jdbc:h2:file:./data/app;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(processed("jdbc:h2:./data/app;WRITE_DELAY=0"))
                .isEqualTo("jdbc:h2:./data/app;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(processed("jdbc:h2:mem:test")).isEqualTo("jdbc:h2:mem:test;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(processed("jdbc:h2:file:/srv/app;AUTO_SERVER=FALSE"))
                .isEqualTo("jdbc:h2:file:/srv/app;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void anExplicitSettingAServerAndOtherDatabasesAreLeftAlone() {
        assertThat(processed("jdbc:h2:file:./data/app;db_close_on_exit=TRUE"))
                .isEqualTo("jdbc:h2:file:./data/app;db_close_on_exit=TRUE");
        assertThat(processed("jdbc:h2:file:./data/app;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"))
                .isEqualTo("jdbc:h2:file:./data/app;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(processed("jdbc:h2:tcp://localhost:9092/dictionary"))
                .isEqualTo("jdbc:h2:tcp://localhost:9092/dictionary");
        assertThat(processed("jdbc:h2:file:./data/d;AUTO_SERVER=TRUE"))
                .as("H2 refuses it with AUTO_SERVER")
                .isEqualTo("jdbc:h2:file:./data/d;AUTO_SERVER=TRUE");
        assertThat(processed("jdbc:h2:ssl://db:9092/dictionary")).isEqualTo("jdbc:h2:ssl://db:9092/dictionary");
        assertThat(processed("jdbc:postgresql://db:5432/app")).isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(processed(null)).isNull();
    }
}
