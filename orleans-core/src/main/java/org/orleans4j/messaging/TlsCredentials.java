package org.orleans4j.messaging;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The key material of one side of a TLS connection: its own certificate and key, the authorities it
 * trusts for the peer's certificate, and which protocol versions and cipher suites it offers.
 *
 * @param keyManagers this side's certificate chain and private key
 * @param trustManagers the authorities (the cluster's CA) a peer's certificate must chain to
 * @param protocols TLS versions offered: {@code TLSv1.3} and {@code TLSv1.2} only; empty means both
 * @param ciphers cipher suites offered; empty means the JDK's defaults for those versions
 */
public record TlsCredentials(
        KeyManagerFactory keyManagers,
        TrustManagerFactory trustManagers,
        List<String> protocols,
        List<String> ciphers) {

    /** TLS 1.3 first; 1.2 for peers that lack it. Older versions are refused. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final Set<String> ALLOWED_PROTOCOLS = Set.copyOf(DEFAULT_PROTOCOLS);

    public TlsCredentials {
        Objects.requireNonNull(keyManagers, "keyManagers");
        Objects.requireNonNull(trustManagers, "trustManagers");
        protocols = protocols == null || protocols.isEmpty() ? DEFAULT_PROTOCOLS : List.copyOf(protocols);
        for (String protocol : protocols) {
            if (!ALLOWED_PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException("TLS protocol " + protocol + " is not allowed for cluster "
                        + "connections; use TLSv1.3 and/or TLSv1.2");
            }
        }
        ciphers = ciphers == null ? List.of() : List.copyOf(ciphers);
    }

    /** TLS 1.3 and 1.2 with the JDK's default cipher suites. */
    public TlsCredentials(KeyManagerFactory keyManagers, TrustManagerFactory trustManagers) {
        this(keyManagers, trustManagers, DEFAULT_PROTOCOLS, List.of());
    }
}
