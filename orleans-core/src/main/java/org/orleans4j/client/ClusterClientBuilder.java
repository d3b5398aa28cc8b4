package org.orleans4j.client;

import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.CallRetryOptions;
import org.orleans4j.calls.OutgoingGrainCallFilter;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.HostPort;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.messaging.TransportSecurity;

/**
 * Configures a {@link ClusterClient}. The gateways come from exactly one source: a static list of
 * addresses ({@link #staticGateways}) or the membership table ({@link #membershipTable}). Every other
 * option has the silo's default.
 */
public final class ClusterClientBuilder {

    /** Orleans' GatewayListRefreshPeriod. */
    public static final Duration DEFAULT_GATEWAY_REFRESH_PERIOD = Duration.ofMinutes(1);

    private ClusterOptions clusterOptions = ClusterOptions.DEFAULT;
    private @Nullable List<HostPort> staticGateways;
    private @Nullable MembershipTable membershipTable;
    private Duration gatewayRefreshPeriod = DEFAULT_GATEWAY_REFRESH_PERIOD;
    private MessagingOptions messagingOptions = MessagingOptions.DEFAULT;
    private CallRetryOptions callRetryOptions = CallRetryOptions.DEFAULT;
    private final List<Class<?>> serializableTypes = new ArrayList<>();
    private final List<Class<?>> grainInterfaces = new ArrayList<>();
    private final List<OutgoingGrainCallFilter> outgoingFilters = new ArrayList<>();
    private @Nullable TransportSecurity transportSecurity;
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
    private boolean observeGrainCalls = true;

    ClusterClientBuilder() {}

    /** The service and cluster to connect to; a gateway of any other is refused. */
    public ClusterClientBuilder clusterOptions(ClusterOptions options) {
        this.clusterOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * Fixed gateway addresses, {@code host:port} (e.g. a Kubernetes Service in front of the silos'
     * gateway ports, which may lead each new connection to another silo).
     */
    public ClusterClientBuilder staticGateways(List<String> hostPorts) {
        Objects.requireNonNull(hostPorts, "hostPorts");
        if (hostPorts.isEmpty()) {
            throw new IllegalArgumentException("staticGateways needs at least one host:port");
        }
        this.staticGateways = hostPorts.stream().map(HostPort::parse).distinct().toList();
        return this;
    }

    /** Gateways from the membership table: its Active silos with a gateway port (host of the silo address). */
    public ClusterClientBuilder membershipTable(MembershipTable table) {
        this.membershipTable = Objects.requireNonNull(table, "table");
        return this;
    }

    /** How often the gateway list is re-read from the membership table (1 min); it is also re-read when a connection is lost. */
    public ClusterClientBuilder gatewayRefreshPeriod(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("gatewayRefreshPeriod must be positive, was " + period);
        }
        this.gatewayRefreshPeriod = period;
        return this;
    }

    /** Response timeout (30 s), largest frame accepted (16 MiB), connect and handshake timeout (5 s). */
    public ClusterClientBuilder messagingOptions(MessagingOptions options) {
        this.messagingOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * How calls that failed in transit are retried, as in a silo: those that provably did not run, and
     * idempotent ones, until their response timeout, waiting 50 ms doubling to 1 s between attempts
     * ({@link CallRetryOptions#DISABLED} turns retries off). The same backoff paces reconnection.
     */
    public ClusterClientBuilder callRetryOptions(CallRetryOptions options) {
        this.callRetryOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    /** Allows types on the wire beyond those reachable from grain interface signatures (as on the silos). */
    public ClusterClientBuilder allowSerialization(Class<?>... types) {
        serializableTypes.addAll(List.of(types));
        return this;
    }

    /** Registers grain interfaces up front; optional, as an interface is also registered on its first {@code getGrain}. */
    public ClusterClientBuilder addGrainInterfaces(Class<?>... interfaces) {
        grainInterfaces.addAll(List.of(interfaces));
        return this;
    }

    /** Mutual TLS to the gateways, which then accept this client only with a certificate they trust. Plain TCP by default. */
    public ClusterClientBuilder transportSecurity(TransportSecurity security) {
        this.transportSecurity = Objects.requireNonNull(security, "security");
        return this;
    }

    /**
     * Adds a filter around every grain call made through this client; filters run in the order they were
     * added (see {@link OutgoingGrainCallFilter}).
     */
    public ClusterClientBuilder addOutgoingCallFilter(OutgoingGrainCallFilter filter) {
        outgoingFilters.add(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /**
     * Where the client observes the grain calls it makes; with Micrometer Tracing on it, each call is a
     * span and carries its trace context to the silos. None by default.
     */
    public ClusterClientBuilder observationRegistry(ObservationRegistry registry) {
        this.observationRegistry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    /** Whether the grain calls made through the client are observed when it has a registry; true by default. */
    public ClusterClientBuilder observeGrainCalls(boolean observe) {
        this.observeGrainCalls = observe;
        return this;
    }

    /** A client, not yet connected: call {@link ClusterClient#connect()}. */
    public ClusterClient build() {
        if ((staticGateways == null) == (membershipTable == null)) {
            throw new IllegalStateException(
                    staticGateways == null
                            ? "A cluster client needs gateways: set staticGateways(host:port, ...) or membershipTable(table)"
                            : "Set either staticGateways or membershipTable, not both");
        }
        GatewayList source = staticGateways != null
                ? new GatewayList.Static(staticGateways)
                : new GatewayList.FromMembership(membershipTable);
        ClusterClient client = new ClusterClient(
                clusterOptions,
                source,
                gatewayRefreshPeriod,
                messagingOptions,
                callRetryOptions,
                List.copyOf(serializableTypes),
                List.copyOf(grainInterfaces),
                List.copyOf(outgoingFilters),
                observationRegistry,
                observeGrainCalls);
        client.transportSecurity(transportSecurity);
        return client;
    }
}
