package dev.ferry.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides whether an Amazon SNS delivery is one Ferry acts on, cheapest rule first, and throws
 * {@link SnsRefusedException} naming the rule if not: a topic listed in
 * {@code ferry.alerts.sns.topics} (none listed: nothing is accepted), a {@code Timestamp} within
 * {@code max-age}, a {@code MessageId} not seen before, an accepted {@code SignatureVersion}, a
 * certificate URL on an SNS host — and only then the signature, with the certificate fetched (and
 * cached) from that URL. Confirms subscriptions of accepted topics.
 */
@Component
class SnsMessages {

    private static final Logger log = LoggerFactory.getLogger(SnsMessages.class);
    private static final List<String> NOTIFICATION =
            List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");
    private static final List<String> SUBSCRIPTION =
            List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");

    private final SnsProperties properties;
    private final SnsUrls urls;
    private final SnsCertificates certificates;
    private final SeenSnsMessages seen;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    SnsMessages(SnsProperties properties, SeenSnsMessages seen, Clock clock) {
        this.properties = properties;
        this.urls = new SnsUrls(properties.certUrlPattern());
        this.certificates = new SnsCertificates(properties.certificateCacheSize());
        this.seen = seen;
        this.clock = clock;
        if (properties.topics().isEmpty()) {
            log.warn("SNS alert intake is off: ferry.alerts.sns.topics is empty, so every delivery to "
                    + "/api/v1/alerts/sns is refused and no subscription is confirmed");
        }
    }

    /** Throws {@link SnsRefusedException} unless the message is signed by SNS for an accepted topic, fresh and new. */
    void verify(JsonNode message) {
        String topic = message.path("TopicArn").asText();
        if (properties.topics().isEmpty()) {
            throw SnsRefusedException.disabled();
        }
        if (!properties.topics().contains(topic)) {
            throw SnsRefusedException.topic(topic);
        }
        sentAt(message);
        String id = message.path("MessageId").asText();
        if (id.isBlank()) {
            throw SnsRefusedException.signature("the message has no MessageId");
        }
        if (seen.seen(id)) {
            throw SnsRefusedException.replayed(id);
        }
        String algorithm = algorithm(message.path("SignatureVersion").asText());
        URI certificate = urls.certificate(message.path("SigningCertURL").asText());
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initVerify(certificates.get(certificate));
            signature.update(stringToSign(message).getBytes(StandardCharsets.UTF_8));
            if (!signature.verify(
                    Base64.getDecoder().decode(message.path("Signature").asText()))) {
                throw SnsRefusedException.signature("signature does not match the message");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw SnsRefusedException.signature("signature cannot be verified: " + e.getMessage());
        }
    }

    /**
     * Remembers a verified message until it would be stale anyway; throws
     * {@link SnsRefusedException} if another delivery of it was remembered first.
     */
    void remember(JsonNode message) {
        String id = message.path("MessageId").asText();
        Instant expires = sentAt(message).plus(properties.maxAge()).plus(properties.clockSkew());
        if (!seen.remember(id, message.path("TopicArn").asText(), expires)) {
            throw SnsRefusedException.replayed(id);
        }
    }

    /** The SNS URL a verified confirmation asks Ferry to visit; refuses any other. */
    URI subscribeUrl(JsonNode message) {
        return urls.subscription(message.path("SubscribeURL").asText());
    }

    /** Visits the SubscribeURL of a verified confirmation; true when SNS accepted it. */
    boolean confirm(URI url) {
        if (!properties.confirmSubscriptions()) {
            return false;
        }
        try {
            return http.send(
                                    HttpRequest.newBuilder(url)
                                            .timeout(Duration.ofSeconds(10))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Instant sentAt(JsonNode message) {
        String text = message.path("Timestamp").asText();
        Instant sent;
        try {
            sent = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw SnsRefusedException.stale("Timestamp '" + text + "' is not an ISO-8601 instant");
        }
        Instant now = clock.instant();
        if (sent.isBefore(now.minus(properties.maxAge()))) {
            throw SnsRefusedException.stale(
                    "Timestamp " + text + " is older than ferry.alerts.sns.max-age (" + properties.maxAge() + ")");
        }
        if (sent.isAfter(now.plus(properties.clockSkew()))) {
            throw SnsRefusedException.stale("Timestamp " + text
                    + " is in the future beyond ferry.alerts.sns.clock-skew (" + properties.clockSkew() + ")");
        }
        return sent;
    }

    private String algorithm(String version) {
        if ("2".equals(version)) {
            return "SHA256withRSA";
        }
        if ("1".equals(version) && properties.allowSignatureVersion1()) {
            return "SHA1withRSA";
        }
        throw SnsRefusedException.signatureVersion(version);
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

    /** Certificates fetched and kept, for tests of the cache bound. */
    int cachedCertificates() {
        return certificates.size();
    }
}
