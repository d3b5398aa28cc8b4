package org.orleans4j.spring.ssl;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Mutual TLS from a cluster client to the gateways ({@code orleans.client.ssl.*}).
 *
 * @param bundle Name of the Spring Boot SSL bundle (spring.ssl.bundle.pem.NAME or
 *        spring.ssl.bundle.jks.NAME) with which the cluster client connects to the gateways: its key
 *        store holds the client's certificate and private key (gateways with TLS require one), its
 *        trust store the cluster's CA certificate, which the gateways' certificates must chain to.
 *        With the bundle's reload-on-update, replaced files are used by new connections. Unset: TLS
 *        off
 */
@ConfigurationProperties("orleans.client.ssl")
public record ClientSslProperties(String bundle) {

    /** The property that names the bundle, for messages. */
    static final String BUNDLE_PROPERTY = "orleans.client.ssl.bundle";

    public ClientSslProperties {
        bundle = bundle == null || bundle.isBlank() ? null : bundle.trim();
    }
}
