package org.orleans4j.example.probe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.h2.tools.Server;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.JvmProcess;

/**
 * Silo JVMs of one Spring Boot application, with its default settings, sharing one database (in the
 * README's multi-silo setup an H2 TCP server), each on its own free HTTP, silo and gateway ports. A silo
 * can be stopped (SIGTERM or SIGKILL) and started again on the same ports as a new generation, and the
 * database's membership table read from the test. Closing it kills every silo still running.
 */
final class SiloProcesses implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    /** The example's service and cluster ids (application.yml), the key of its membership rows. */
    static final String SERVICE_ID = "dictionary";

    static final String CLUSTER_ID = "dev";
    private static final Pattern ACTIVE = Pattern.compile("Silo \\S+ \\((\\S+)\\) of service '.*' is Active");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Class<?> application;
    private final int count;
    private final Path logs;
    private final int[] ports;
    private final String jdbcUrl;
    private final List<JvmProcess> silos = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private final int[] generations;

    private SiloProcesses(Class<?> application, int count, String jdbcUrl, Path logs) {
        this.application = application;
        this.count = count;
        this.logs = logs;
        this.ports = FreePorts.allocate(3 * count);
        this.generations = new int[count];
        this.jdbcUrl = jdbcUrl;
    }

    /**
     * The README's database process, here in the test JVM: an H2 TCP server on a free port with its files
     * under {@code baseDir}, so that a silo's death or shutdown hooks cannot close the database.
     */
    static Server startH2Server(Path baseDir) throws SQLException {
        return Server.createTcpServer(
                        "-tcp",
                        "-tcpPort",
                        Integer.toString(FreePorts.allocate(1)[0]),
                        "-ifNotExists",
                        "-baseDir",
                        baseDir.toString())
                .start();
    }

    /** The URL of the database {@code dictionary} of {@code h2}, as the README's silos use it. */
    static String h2ServerUrl(Server h2) {
        return "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/dictionary";
    }

    /**
     * Starts {@code count} silos of {@code application} (a Spring Boot main class) on {@code jdbcUrl} and
     * waits until each is Active.
     */
    static SiloProcesses start(Class<?> application, int count, String jdbcUrl, Path logs) {
        SiloProcesses setup = new SiloProcesses(application, count, jdbcUrl, logs);
        try {
            for (int i = 0; i < count; i++) {
                setup.silos.add(setup.launch(i));
                setup.addresses.add(null);
            }
            for (int i = 0; i < count; i++) {
                setup.awaitActive(i);
            }
            return setup;
        } catch (RuntimeException | Error e) {
            setup.close();
            throw e;
        }
    }

    /** Starts silo {@code index} again on its ports (a new generation) once its process has exited. */
    void restart(int index) {
        if (silos.get(index).isAlive()) {
            throw new IllegalStateException(silos.get(index) + " is still running");
        }
        generations[index]++;
        silos.set(index, launch(index));
        addresses.set(index, null);
    }

    /** Waits until silo {@code index} is Active; its address ({@code host:port@generation}). */
    String awaitActive(int index) {
        MatchResult active = silos.get(index).awaitLogLine(ACTIVE, START_TIMEOUT);
        addresses.set(index, active.group(1));
        return active.group(1);
    }

    /** The address of silo {@code index}'s current generation, as it logged it when it turned Active. */
    String address(int index) {
        String address = addresses.get(index);
        if (address == null) {
            throw new IllegalStateException("silo-" + index + " has not been seen Active yet");
        }
        return address;
    }

    JvmProcess silo(int index) {
        return silos.get(index);
    }

    /** The body of a GET of {@code path} on silo {@code index}'s web server; fails on a status other than 200. */
    String get(int index, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[index] + path))
                        .timeout(HTTP_TIMEOUT)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "GET " + path + " on silo-" + index + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /** The gateways of all silos, {@code 127.0.0.1:port}, for a cluster client. */
    List<String> gateways() {
        List<String> gateways = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            gateways.add("127.0.0.1:" + ports[2 * count + i]);
        }
        return gateways;
    }

    /**
     * The membership row of {@code address} ({@code host:port@generation}) as the database holds it now,
     * or {@code null} if there is none.
     */
    MembershipRow membershipRow(String address) throws SQLException {
        return membershipRow(jdbcUrl, address);
    }

    /** The membership row of {@code address} in the database at {@code jdbcUrl}, or {@code null}. */
    static MembershipRow membershipRow(String jdbcUrl, String address) throws SQLException {
        int at = address.lastIndexOf('@');
        int colon = address.lastIndexOf(':', at);
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "sa", "");
                PreparedStatement query = connection.prepareStatement(
                        "SELECT status, suspect_votes FROM orleans_membership"
                                + " WHERE service_id = ? AND cluster_id = ? AND address = ? AND port = ? AND generation = ?")) {
            query.setString(1, SERVICE_ID);
            query.setString(2, CLUSTER_ID);
            query.setString(3, address.substring(0, colon));
            query.setInt(4, Integer.parseInt(address.substring(colon + 1, at)));
            query.setLong(5, Long.parseLong(address.substring(at + 1)));
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? new MembershipRow(rows.getString(1), rows.getString(2)) : null;
            }
        }
    }

    @Override
    public void close() {
        silos.forEach(JvmProcess::close);
    }

    private JvmProcess launch(int index) {
        List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        if (Runtime.version().feature() >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        String name = "silo-" + index + "-" + generations[index];
        return JvmProcess.builder(application.getName())
                .name(name)
                .jvmOptions(options.toArray(String[]::new))
                .args(
                        "--server.port=" + ports[index],
                        "--orleans.endpoints.silo-port=" + ports[count + index],
                        "--orleans.endpoints.gateway-port=" + ports[2 * count + index],
                        "--orleans.endpoints.advertised-address=127.0.0.1",
                        "--spring.datasource.url=" + jdbcUrl)
                .logFile(logs.resolve(name + ".log"))
                .start();
    }

    /**
     * A silo's row in the membership table.
     *
     * @param status the status column ({@code ACTIVE}, {@code SHUTTING_DOWN}, {@code DEAD}, ...)
     * @param suspectVotes the votes of the silos that suspected it; none when it left on its own
     */
    record MembershipRow(String status, String suspectVotes) {}
}
