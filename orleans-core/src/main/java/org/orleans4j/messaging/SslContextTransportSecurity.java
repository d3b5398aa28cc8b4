package org.orleans4j.messaging;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Mutual TLS from {@link TlsCredentials}, on the JDK's TLS provider. Accepted connections require
 * the peer's certificate; both directions check that the peer's certificate chains to the trusted
 * authority, and neither checks host names: silos dial each other by the address they advertise
 * (a pod IP, known only once the pod is scheduled, so no certificate can name it in advance), and
 * the trust is "holds a certificate of the cluster's own CA", the model of Orleans' and Pekko's
 * cluster TLS. {@link #update} replaces the key material for new connections (certificate
 * rotation); established connections keep theirs.
 */
public final class SslContextTransportSecurity implements TransportSecurity {

    private record Contexts(SslContext server, SslContext client) {}

    private final String source;
    private volatile Contexts contexts;

    /**
     * @param source where the credentials come from, named in error messages (e.g. a bundle and the
     *        property that names it)
     * @throws IllegalArgumentException when the credentials cannot make a TLS context
     */
    public SslContextTransportSecurity(TlsCredentials credentials, String source) {
        this.source = Objects.requireNonNull(source, "source");
        this.contexts = build(credentials);
    }

    /**
     * Uses {@code credentials} for every connection opened or accepted from now on.
     *
     * @throws IllegalArgumentException when they cannot make a TLS context; the previous ones stay in use
     */
    public void update(TlsCredentials credentials) {
        this.contexts = build(credentials);
    }

    private Contexts build(TlsCredentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        try {
            SslContextBuilder server =
                    SslContextBuilder.forServer(credentials.keyManagers()).clientAuth(ClientAuth.REQUIRE);
            // Netty 4.2 verifies host names on the client side by default: off, see the class comment.
            SslContextBuilder client = SslContextBuilder.forClient()
                    .keyManager(credentials.keyManagers())
                    .endpointIdentificationAlgorithm(null);
            return new Contexts(
                    configure(server, credentials).build(),
                    configure(client, credentials).build());
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot make a TLS context from " + source + ": " + e.getMessage(), e);
        }
    }

    private static SslContextBuilder configure(SslContextBuilder builder, TlsCredentials credentials) {
        builder.sslProvider(SslProvider.JDK)
                .trustManager(credentials.trustManagers())
                .protocols(credentials.protocols());
        if (!credentials.ciphers().isEmpty()) {
            builder.ciphers(credentials.ciphers());
        }
        return builder;
    }

    @Override
    public SslHandler newServerHandler(ByteBufAllocator allocator) {
        return contexts.server().newHandler(allocator);
    }

    @Override
    public SslHandler newClientHandler(ByteBufAllocator allocator) {
        return contexts.client().newHandler(allocator);
    }

    @Override
    public String source() {
        return source;
    }
}
