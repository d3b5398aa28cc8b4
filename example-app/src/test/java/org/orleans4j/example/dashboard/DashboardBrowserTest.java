package org.orleans4j.example.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.orleans4j.example.dictionary.DictionaryApplication;
import org.orleans4j.example.dictionary.EntryGrain;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.runtime.Silo;
import org.orleans4j.testing.db.H2Databases;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The dashboard page ({@code /actuator/orleansdashboard}) in a real headless Chromium: two silos of the
 * dictionary service (two Spring contexts in this JVM, each with its own HTTP, management and silo
 * ports, one in-memory H2 database shared as the membership table), 100 grain calls through the REST
 * API of the first, then its dashboard, on its management port, until it shows both silos Active, the
 * {@code entry} grain type and a call rate above zero. Screenshots at a desktop width and at a phone's
 * (390 CSS pixels: its first screen, and the whole page) go to {@code target/dashboard/}.
 *
 * <p>Needs Chromium and its chromedriver: {@code CHROMIUM_BINARY} / {@code CHROMEDRIVER_BINARY}
 * (environment) or {@code -Dchromium.binary} / {@code -Dchromedriver.binary}, else {@code /usr/bin/chromium}
 * and {@code /usr/bin/chromedriver} (Debian's {@code chromium} and {@code chromium-driver}), else
 * {@code chromium} / {@code chromedriver} on the {@code PATH}. Without them the test is skipped, unless
 * {@code CI} is set ({@code .ci/run} sets it and installs them), then it fails.
 */
class DashboardBrowserTest {

    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(40);
    private static final Path ARTIFACTS = Path.of("target", "dashboard");
    private static final String BROWSER_MISSING = "Chromium or chromedriver not found, so the dashboard's browser test "
            + "does not run. Install them (Debian/Ubuntu: `apt-get install chromium chromium-driver`, which .ci/run does), "
            + "or set CHROMIUM_BINARY and CHROMEDRIVER_BINARY (or -Dchromium.binary / -Dchromedriver.binary) to them.";
    /** A grain key that would run script if the page put grain ids into its markup. */
    private static final String HOSTILE_KEY = "<img src=x onerror=\"window.__xss=1\">";

    private static Path chromium;
    private static Path chromedriver;

    @TempDir
    Path browserProfile;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ConfigurableApplicationContext> silos = new ArrayList<>();
    private WebDriver driver;

    @BeforeAll
    static void findTheBrowser() {
        Optional<Path> browser = locate("CHROMIUM_BINARY", "chromium.binary", "chromium", "chromium-browser");
        Optional<Path> driver = locate("CHROMEDRIVER_BINARY", "chromedriver.binary", "chromedriver");
        if (browser.isEmpty() || driver.isEmpty()) {
            if (isCi()) {
                fail(BROWSER_MISSING + " CI is set, so a missing browser is a failure.");
            }
            printToBuildConsole("DashboardBrowserTest skipped: " + BROWSER_MISSING);
            return;
        }
        chromium = browser.get();
        chromedriver = driver.get();
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        silos.reversed().forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void theDashboardShowsBothSilosTheGrainTypeAndItsCallRate() throws Exception {
        Assumptions.assumeTrue(chromium != null && chromedriver != null, BROWSER_MISSING);
        String database = H2Databases.url("dashboard");
        ConfigurableApplicationContext first = start(database, "silo-a");
        ConfigurableApplicationContext second = start(database, "silo-b");
        Silo a = first.getBean(Silo.class);
        Silo b = second.getBean(Silo.class);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> a.membership().currentSnapshot().activeSilos().size() == 2
                        && b.membership().currentSnapshot().activeSilos().size() == 2);

        // 100 grain calls through the first silo's REST API: 50 PUTs, 50 GETs.
        String api = "http://127.0.0.1:"
                + ((WebServerApplicationContext) first).getWebServer().getPort();
        for (int i = 0; i < 50; i++) {
            assertThat(send("PUT", api + "/entries/word-" + i, "definition " + i)
                            .statusCode())
                    .isEqualTo(204);
            assertThat(send("GET", api + "/entries/word-" + i, null).body()).isEqualTo("definition " + i);
        }
        // Grain keys are user data: a few that are markup, until one lives on the first silo, whose busiest
        // grains the page lists.
        GrainFactory grains = first.getBean(GrainFactory.class);
        String typeName = a.grainTypes().implementationOf(EntryGrain.class).typeName();
        String hostile = null;
        for (int i = 0; i < 20 && hostile == null; i++) {
            String key = HOSTILE_KEY + i;
            grains.getGrain(EntryGrain.class, key).setDefinition("markup").join();
            if (a.diagnostics().hasActivation(GrainId.ofString(typeName, key))) {
                hostile = key;
            }
        }
        assertThat(hostile).as("one of 20 keys placed on the first silo").isNotNull();
        for (int i = 0; i < 10; i++) {
            // The busiest grain, so that it stays listed for minutes however slowly the browser starts.
            assertThat(grains.getGrain(EntryGrain.class, hostile)
                            .getDefinition()
                            .join())
                    .isEqualTo("markup");
        }

        String management = "http://127.0.0.1:" + first.getEnvironment().getProperty("local.management.port");
        HttpResponse<String> page = send("GET", management + "/actuator/orleansdashboard", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        HttpResponse<String> data = send("GET", management + "/actuator/orleansdashboard/data", null);
        assertThat(data.statusCode()).isEqualTo(200);
        assertThat(data.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).contains("json"));
        assertThat(data.body()).contains("\"silos\"", "\"timeline\"", "\"grainTypes\"");
        assertThat(send("GET", management + "/actuator/orleansdashboard/other", null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("GET", api + "/actuator/orleansdashboard", null).statusCode())
                .as("Actuator, and so the dashboard, is on the management port only")
                .isEqualTo(404);

        driver = browser();
        driver.get(management + "/actuator/orleansdashboard");
        // The page renders its rows anew on each poll: an element found may be gone when it is read.
        WebDriverWait wait = new WebDriverWait(driver, PAGE_TIMEOUT, Duration.ofMillis(250));
        wait.ignoring(StaleElementReferenceException.class);
        String entrySelector = "#grain-types tr[data-type='" + typeName + "']";
        wait.withMessage(() -> "the dashboard never showed 2 Active silos, the " + typeName
                        + " grain type and a call rate above 0; it shows:\n" + pageText())
                .until(d -> {
                    List<WebElement> cards = d.findElements(By.cssSelector("#silos .silo[data-status='ACTIVE']"));
                    List<WebElement> rows = d.findElements(By.cssSelector(entrySelector));
                    return cards.size() == 2
                            && rows.size() == 1
                            && rate(rows.getFirst()
                                            .findElement(By.cssSelector("td.rate"))
                                            .getText())
                                    > 0;
                });
        String hostileKey = hostile;
        wait.withMessage(() -> "the busiest grains never listed " + hostileKey + ":\n" + pageText())
                .until(d -> d.findElements(By.cssSelector("#busiest tbody td")).stream()
                        .anyMatch(cell -> cell.getText().equals(hostileKey)));

        List<String> shownSilos = driver.findElements(By.cssSelector("#silos .silo")).stream()
                .map(card -> card.getDomAttribute("data-silo"))
                .toList();
        assertThat(shownSilos)
                .containsExactlyInAnyOrder(a.address().toString(), b.address().toString());
        assertThat(driver.findElement(By.cssSelector("#silos .silo .badge")).getText())
                .isEqualTo("this silo");
        assertThat(driver.findElement(By.id("connection")).getText()).isEqualTo("live");
        assertThat(Double.parseDouble(
                        driver.findElement(By.id("kpi-rate")).getText().replace(",", "")))
                .isPositive();
        assertThat(driver.findElement(By.id("kpi-latency")).getText()).matches("[0-9.,]+ / [0-9.,]+ / [0-9.,]+ ms");
        assertThat(driver.findElements(By.cssSelector("#methods tbody tr"))).hasSizeGreaterThanOrEqualTo(2);
        JavascriptExecutor js = (JavascriptExecutor) driver;
        assertThat(js.executeScript("return document.querySelectorAll('main img').length"))
                .as("the grain key stayed text")
                .isEqualTo(0L);
        assertThat(js.executeScript("return window.__xss === undefined")).isEqualTo(true);
        assertThat(js.executeScript("return document.querySelectorAll('#chart-rate polyline').length"))
                .as("the calls/s chart has a line")
                .isNotEqualTo(0L);

        // Calls go on until a second bucket (10 s each) has some and the page drew it, so that the
        // screenshots' charts show lines rather than a first point.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    for (int i = 0; i < 5; i++) {
                        send("GET", api + "/entries/word-" + i, null);
                    }
                    return (Long) js.executeScript("return document.querySelectorAll('#chart-rate polygon').length")
                            > 0;
                });

        Files.createDirectories(ARTIFACTS);
        screenshot(1280, 900, false, true, ARTIFACTS.resolve("dashboard.png"));
        screenshot(390, 844, true, false, ARTIFACTS.resolve("dashboard-phone.png"));
        screenshot(390, 844, true, true, ARTIFACTS.resolve("dashboard-phone-full.png"));
        assertThat(js.executeScript("return document.documentElement.scrollWidth <= window.innerWidth + 1"))
                .as("no sideways scrolling of the page at a phone's width (wide tables scroll in their own box)")
                .isEqualTo(true);
        printToBuildConsole("DashboardBrowserTest screenshots in " + ARTIFACTS.toAbsolutePath()
                + ": dashboard.png (1280 px wide), dashboard-phone.png and dashboard-phone-full.png (390 px)");
    }

    private ConfigurableApplicationContext start(String database, String name) {
        ConfigurableApplicationContext context = SpringApplication.run(
                DictionaryApplication.class,
                "--server.port=0",
                "--management.server.port=0",
                "--orleans.endpoints.silo-port=0",
                "--orleans.endpoints.gateway-port=0",
                "--orleans.endpoints.advertised-address=127.0.0.1",
                "--orleans.silo.name=" + name,
                "--orleans.clustering.i-am-alive-period=2s",
                "--orleans.clustering.table-refresh-period=1s",
                "--spring.datasource.url=" + database,
                "--orleans.dashboard.enabled=true",
                "--orleans.dashboard.busiest-grains.enabled=true",
                "--management.endpoints.web.exposure.include=health,orleans,orleansdashboard");
        silos.add(context);
        return context;
    }

    private WebDriver browser() throws IOException {
        Files.createDirectories(ARTIFACTS);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogFile(ARTIFACTS.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--window-size=1280,900",
                "--user-data-dir=" + browserProfile.toAbsolutePath());
        return new ChromeDriver(service, options);
    }

    /**
     * The page at {@code width} × {@code height} CSS pixels (a phone: {@code mobile}, at twice the pixels), or
     * with {@code fullPage} as tall as its content.
     */
    private void screenshot(int width, int height, boolean mobile, boolean fullPage, Path file) throws IOException {
        ChromeDriver chrome = (ChromeDriver) driver;
        chrome.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", mobile ? 2 : 1, "mobile", mobile));
        // Let the layout settle at the new width, then grow the viewport to the content's height.
        new WebDriverWait(driver, Duration.ofSeconds(5))
                .until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return window.innerWidth")).intValue()
                        == width);
        if (!fullPage) {
            Files.write(file, chrome.getScreenshotAs(OutputType.BYTES));
            return;
        }
        long contentHeight = (Long)
                ((JavascriptExecutor) driver).executeScript("return Math.ceil(document.documentElement.scrollHeight)");
        chrome.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of(
                        "width",
                        width,
                        "height",
                        (int) Math.min(contentHeight, 6000),
                        "deviceScaleFactor",
                        mobile ? 2 : 1,
                        "mobile",
                        mobile));
        Files.write(file, chrome.getScreenshotAs(OutputType.BYTES));
    }

    private String pageText() {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static double rate(String text) {
        try {
            return Double.parseDouble(text.replace(",", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "text/plain").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A configured path (environment, then system property), else the Debian path, else the {@code PATH}. */
    private static Optional<Path> locate(String environment, String property, String... names) {
        String configured = System.getenv(environment);
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty(property);
        }
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                fail(environment + " / -D" + property + " is set to " + configured + ", which is not an executable");
            }
            return Optional.of(path);
        }
        for (String name : names) {
            Path debian = Path.of("/usr/bin", name);
            if (Files.isExecutable(debian)) {
                return Optional.of(debian);
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String directory : path.split(File.pathSeparator)) {
                for (String name : names) {
                    Path candidate = Path.of(directory, name);
                    if (!directory.isBlank() && Files.isExecutable(candidate)) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isCi() {
        String ci = System.getenv("CI");
        return ci != null && (ci.equalsIgnoreCase("true") || ci.equals("1"));
    }

    private static void printToBuildConsole(String message) {
        PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        stderr.println(message);
    }
}
