package org.orleans4j.spring.jdbc;

import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps an H2 database that lives in this JVM open until the application context has closed. By
 * default H2 closes such a database in a JVM shutdown hook of its own, which runs beside Spring's: on
 * SIGTERM it closed the database while the silo was still deactivating its grains and writing its row
 * ShuttingDown and Dead, so those writes failed and the row stayed Active. With
 * {@code DB_CLOSE_ON_EXIT=FALSE} the database closes when the context closes its connection pool, after
 * every lifecycle (the silo's stop included) has stopped; Spring Boot's own embedded database URL sets
 * it for the same reason.
 * <p>
 * Appended to {@code spring.datasource.url} when it names an H2 database opened in this JVM (not a
 * {@code tcp:} or {@code ssl:} server) and does not set {@code DB_CLOSE_ON_EXIT} itself: an explicit
 * setting is the application's choice and is kept. Not with {@code AUTO_SERVER=TRUE}, which H2 refuses
 * together with {@code DB_CLOSE_ON_EXIT=FALSE} (such a URL keeps the risk; the README's setups avoid it).
 */
public class H2CloseOnExitEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** Name of the property source holding the completed URL, above every other source. */
    public static final String SOURCE = "orleansH2CloseOnExit";

    private static final String URL = "spring.datasource.url";
    private static final Pattern IN_THIS_JVM = Pattern.compile("(?i)jdbc:h2:(?!tcp:|ssl:).+");
    private static final Pattern CLOSE_ON_EXIT_SET = Pattern.compile("(?i);\\s*DB_CLOSE_ON_EXIT\\s*=");
    private static final Pattern AUTO_SERVER_ON = Pattern.compile("(?i);\\s*AUTO_SERVER\\s*=\\s*TRUE");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty(URL);
        if (url == null
                || !IN_THIS_JVM.matcher(url.strip()).matches()
                || CLOSE_ON_EXIT_SET.matcher(url).find()
                || AUTO_SERVER_ON.matcher(url).find()) {
            return;
        }
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(SOURCE, Map.of(URL, url.strip() + ";DB_CLOSE_ON_EXIT=FALSE")));
    }

    @Override
    public int getOrder() {
        // After config data, so that the URL of application.yml or of the command line is seen.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
