package dev.ferry.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.common.FerryException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Verifies Amazon SNS message signatures (versions 1 and 2) with the certificate named in the
 * message, fetched only from SNS itself, and confirms subscriptions. Certificates are cached.
 */
@Component
class SnsMessages {

    private static final List<String> NOTIFICATION = List.of("Message", "MessageId", "Subject", "Timestamp",
            "TopicArn", "Type");
    private static final List<String> SUBSCRIPTION = List.of("Message", "MessageId", "SubscribeURL", "Timestamp",
            "Token", "TopicArn", "Type");

    private final SnsProperties properties;
    private final Pattern trusted;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, X509Certificate> certificates = new ConcurrentHashMap<>();

    SnsMessages(SnsProperties properties) {
        this.properties = properties;
        this.trusted = Pattern.compile(properties.certUrlPattern());
    }

    /** Throws {@link SnsRejectedException} unless the message is signed by SNS for an accepted topic. */
    void verify(JsonNode message) {
        String topic = message.path("TopicArn").asText();
        if (!properties.topics().isEmpty() && !properties.topics().contains(topic)) {
            throw new SnsRejectedException("topic " + topic + " is not accepted (ferry.alerts.sns.topics)");
        }
        String certUrl = message.path("SigningCertURL").asText();
        if (!trusted.matcher(certUrl).matches()) {
            throw new SnsRejectedException("signing certificate URL is not an Amazon SNS one: " + certUrl);
        }
        String algorithm = switch (message.path("SignatureVersion").asText()) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw new SnsRejectedException("unknown SignatureVersion " + message.path("SignatureVersion"));
        };
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initVerify(certificate(certUrl));
            signature.update(stringToSign(message).getBytes(StandardCharsets.UTF_8));
            if (!signature.verify(Base64.getDecoder().decode(message.path("Signature").asText()))) {
                throw new SnsRejectedException("signature does not match the message");
            }
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new SnsRejectedException("signature cannot be verified: " + e.getMessage());
        }
    }

    /** Visits the SubscribeURL of a verified confirmation; true when SNS accepted it. */
    boolean confirm(JsonNode message) {
        String url = message.path("SubscribeURL").asText();
        if (!properties.confirmSubscriptions() || !trusted.matcher(url).matches()) {
            return false;
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The canonical form SNS signs: "Key\nvalue\n" for each present key, in this order. */
    static String stringToSign(JsonNode message) {
        List<String> keys = "Notification".equals(message.path("Type").asText()) ? NOTIFICATION : SUBSCRIPTION;
        StringBuilder out = new StringBuilder();
        for (String key : keys) {
            if (message.hasNonNull(key)) {
                out.append(key).append('\n').append(message.get(key).asText()).append('\n');
            }
        }
        return out.toString();
    }

    private X509Certificate certificate(String url) {
        return certificates.computeIfAbsent(url, u -> {
            try {
                byte[] pem = http.send(HttpRequest.newBuilder(URI.create(u)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body();
                return (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pem));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new SnsRejectedException("signing certificate cannot be fetched: " + e.getMessage());
            }
        });
    }

    /** A message that is not provably from SNS. */
    static class SnsRejectedException extends FerryException {

        SnsRejectedException(String detail) {
            super("alert-signature-invalid", 403, "SNS message rejected", detail);
        }
    }
}
