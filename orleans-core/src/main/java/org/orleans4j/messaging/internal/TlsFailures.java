package org.orleans4j.messaging.internal;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Says in words why a TLS handshake failed, from the JDK's exception, for the side that sees it:
 * the exceptions name TLS alerts and PKIX errors, which tell an operator little about which
 * certificate or setting to fix.
 */
public final class TlsFailures {

    private TlsFailures() {}

    /** Whether {@code failure} (or a cause of it) comes from TLS. */
    public static boolean isTls(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the handshake failed, seen from this side.
     *
     * @param source where this side's key material comes from (named so the reader knows what to fix)
     */
    public static String reason(Throwable failure, String source) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NotSslRecordException) {
                return "the peer sent plain bytes, not TLS: TLS is off on its side (orleans.endpoints.ssl.bundle on a "
                        + "silo, orleans.client.ssl.bundle on a cluster client) but on here (" + source + ")";
            }
            if (t instanceof SslHandshakeTimeoutException) {
                return "no TLS handshake in time: " + t.getMessage();
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return "the peer's certificate is expired or not yet valid (" + clean(t.getMessage()) + "): renew it";
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException
                    || t instanceof CertPathValidatorException
                    || t instanceof CertificateException) {
                String detail = clean(t.getMessage());
                // The JDK's wording for "signed by none of the trusted CAs" adds nothing to ours.
                return "certificate not trusted (is the peer's certificate signed by the CA of " + source + "?)"
                        + (detail.contains("unable to find valid certification path") ? "" : ": " + detail);
            }
        }
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        String lower = messages.toString().toLowerCase(Locale.ROOT);
        if (lower.contains("empty client certificate chain") || lower.contains("empty server certificate chain")) {
            return "the peer presented no certificate signed by the CA of " + source + ": it has none, or only one "
                    + "of another CA; every silo and cluster client needs one";
        }
        int alert = lower.indexOf("received fatal alert: ");
        if (alert >= 0) {
            String name =
                    lower.substring(alert + "received fatal alert: ".length()).split("\\s", 2)[0];
            return switch (name) {
                case "certificate_required" ->
                    "the peer requires a certificate signed by the CA it trusts, and "
                            + "this side has none: is " + source + " this side's certificate and key, signed by the "
                            + "cluster's CA?";
                case "bad_certificate",
                        "unknown_ca",
                        "certificate_unknown",
                        "access_denied",
                        "decrypt_error",
                        "certificate_expired",
                        "certificate_revoked",
                        "unsupported_certificate" ->
                    "the peer refused this side's certificate (TLS alert " + name + "): is the certificate of " + source
                            + " valid and signed by the cluster CA that the peer trusts?";
                case "protocol_version", "handshake_failure", "insufficient_security" ->
                    "no TLS version or cipher suite in common with the peer (TLS alert " + name + ")";
                default -> "the peer ended the handshake with TLS alert " + clean(name);
            };
        }
        if (hasClosedCause(failure) || lower.contains("closed")) {
            return "the peer closed the connection during the TLS handshake: does it use TLS too? (both ends need "
                    + "it: orleans.endpoints.ssl.bundle on silos, orleans.client.ssl.bundle on cluster clients)";
        }
        return clean(failure.toString());
    }

    /**
     * Why a connection this side opened closed right after its TLS handshake and before the peer
     * answered the cluster handshake. With TLS 1.3 the client's handshake ends before the server has
     * checked the client's certificate, so a refused certificate shows this way when the peer's alert
     * is lost with the connection.
     */
    public static String closedAfterHandshake(String source) {
        return "the peer closed the connection right after the TLS handshake, without answering: it probably refused "
                + "this side's certificate (is the certificate of " + source + " signed by the cluster CA that the "
                + "peer trusts?)";
    }

    /** Whether the connection closed during the handshake with no TLS error, e.g. a TCP port check. */
    public static boolean closedBeforeHandshake(Throwable failure) {
        String message =
                failure.getMessage() == null ? "" : failure.getMessage().toLowerCase(Locale.ROOT);
        return hasClosedCause(failure) || message.contains("connection closed while ssl/tls handshake");
    }

    private static boolean hasClosedCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    /** Control characters out: messages may quote data from the peer. */
    public static String clean(@Nullable String text) {
        return text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
    }
}
