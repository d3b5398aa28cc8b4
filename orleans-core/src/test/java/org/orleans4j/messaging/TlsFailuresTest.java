package org.orleans4j.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.orleans4j.messaging.internal.TlsFailures;

/**
 * The wording of TLS failures for the cases the socket tests cannot make cheaply (an expired
 * certificate, alerts nested in decoder exceptions, control characters from the peer).
 */
class TlsFailuresTest {

    private static final String SOURCE = "SSL bundle 'orleans' (orleans.endpoints.ssl.bundle)";

    @Test
    void anExpiredCertificateSaysSoRatherThanUntrusted() {
        SSLHandshakeException failure = new SSLHandshakeException("PKIX path validation failed");
        failure.initCause(new CertPathValidatorException(
                "validity check failed", new CertificateExpiredException("NotAfter: Sat Jan 01 00:00:00 UTC 2000")));
        assertThat(TlsFailures.reason(failure, SOURCE))
                .isEqualTo(
                        "the peer's certificate is expired or not yet valid (NotAfter: Sat Jan 01 00:00:00 UTC 2000): "
                                + "renew it");
    }

    @Test
    void anUntrustedChainNamesTheBundleWhoseCaWasExpected() {
        SSLHandshakeException failure = new SSLHandshakeException("PKIX path building failed");
        failure.initCause(
                new CertPathValidatorException("unable to find valid certification path to requested target"));
        assertThat(TlsFailures.reason(new DecoderException(failure), SOURCE))
                .isEqualTo("certificate not trusted (is the peer's certificate signed by the CA of " + SOURCE + "?)");
    }

    @Test
    void alertsFromThePeerAreReadThroughDecoderExceptions() {
        DecoderException refused =
                new DecoderException(new SSLHandshakeException("Received fatal alert: bad_certificate"));
        assertThat(TlsFailures.isTls(refused)).isTrue();
        assertThat(TlsFailures.reason(refused, SOURCE))
                .isEqualTo("the peer refused this side's certificate "
                        + "(TLS alert bad_certificate): is the certificate of " + SOURCE
                        + " valid and signed by the cluster CA that the peer trusts?");
        assertThat(TlsFailures.reason(new SSLHandshakeException("Received fatal alert: protocol_version"), SOURCE))
                .isEqualTo("no TLS version or cipher suite in common with the peer (TLS alert protocol_version)");
    }

    @Test
    void plainBytesAndEarlyClosesPointAtTheOtherSidesSetting() {
        assertThat(TlsFailures.reason(new NotSslRecordException("not an SSL/TLS record: 0000001a"), SOURCE))
                .startsWith("the peer sent plain bytes, not TLS");
        SSLHandshakeException closed =
                new SSLHandshakeException("Connection closed while SSL/TLS handshake was in progress");
        assertThat(TlsFailures.closedBeforeHandshake(closed)).isTrue();
        assertThat(TlsFailures.closedBeforeHandshake(new ClosedChannelException()))
                .isTrue();
        assertThat(TlsFailures.closedBeforeHandshake(
                        new SSLHandshakeException("Received fatal alert: bad_certificate")))
                .isFalse();
        assertThat(TlsFailures.reason(closed, SOURCE))
                .startsWith("the peer closed the connection during the TLS " + "handshake: does it use TLS too?");
    }

    @Test
    void controlCharactersNeverReachTheLog() {
        assertThat(TlsFailures.reason(new SSLHandshakeException("Received fatal alert: forged\u001b[31mred"), SOURCE))
                .isEqualTo("the peer ended the handshake with TLS alert forged?[31mred");
    }
}
