package org.orleans4j.spring.actuate.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard's HTML document, made once from the files shipped in the jar next to this class
 * ({@code dashboard.html}, {@code dashboard.css}, {@code dashboard.js}): the style and the script are
 * inlined, so the page is one response that works under any path mapping of the endpoint, loads
 * nothing from elsewhere, and the script finds its data relative to the page's own address.
 */
final class DashboardPage {

    private final String html;

    DashboardPage(long refreshMillis) {
        String template = resource("dashboard.html");
        this.html = template.replace("/*DASHBOARD_CSS*/", resource("dashboard.css"))
                .replace("/*DASHBOARD_JS*/", resource("dashboard.js"))
                .replace("data-refresh-millis=\"2000\"", "data-refresh-millis=\"" + refreshMillis + "\"");
    }

    String html() {
        return html;
    }

    private static String resource(String name) {
        try (InputStream in = DashboardPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The dashboard's " + name + " is missing from the jar, next to "
                        + DashboardPage.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the dashboard's " + name, e);
        }
    }
}
