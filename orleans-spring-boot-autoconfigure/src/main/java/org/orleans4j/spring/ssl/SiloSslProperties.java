package org.orleans4j.spring.ssl;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Mutual TLS on the silo's ports ({@code orleans.endpoints.ssl.*}).
 *
 * @param bundle Name of the Spring Boot SSL bundle (spring.ssl.bundle.pem.NAME or
 *        spring.ssl.bundle.jks.NAME) that secures the silo port and the gateway port with mutual
 *        TLS: its key store holds this silo's certificate and private key, its trust store the
 *        cluster's CA certificate; only peers with a certificate of that CA can connect, and this
 *        silo connects to the other silos with its certificate. With the bundle's reload-on-update,
 *        replaced certificate files are used by new connections without a restart. Unset: TLS off
 */
@ConfigurationProperties("orleans.endpoints.ssl")
public record SiloSslProperties(String bundle) {

    /** The property that names the bundle, for messages. */
    static final String BUNDLE_PROPERTY = "orleans.endpoints.ssl.bundle";

    public SiloSslProperties {
        bundle = bundle == null || bundle.isBlank() ? null : bundle.trim();
    }
}
