package dev.ferry.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The order and wording of SNS refusals. The MessageIds seen are kept in memory here (a stand-in
 * for the PostgreSQL table, which {@code SnsAlertIT} uses for real).
 */
class SnsMessagesTest {

    private static final String TOPIC = "arn:aws:sns:us-east-1:0:t";
    private static final Instant NOW = Instant.parse("2026-11-22T03:15:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final Set<String> seenIds = new HashSet<>();
    private final SeenSnsMessages seen = new SeenSnsMessages(null, CLOCK) {
        @Override
        boolean seen(String messageId) {
            return seenIds.contains(messageId);
        }

        @Override
        boolean remember(String messageId, String topic, Instant expiresAt) {
            return seenIds.add(messageId);
        }
    };

    private SnsMessages sns(List<String> topics, boolean version1) {
        return new SnsMessages(
                new SnsProperties(topics, true, Duration.ofHours(1), Duration.ofMinutes(5), version1, 4, null),
                seen,
                CLOCK);
    }

    private final SnsMessages sns = sns(List.of(TOPIC), false);

    @Test
    void withoutTopicsEverythingIsRefused() {
        assertThatThrownBy(() -> sns(List.of(), true).verify(message()))
                .isInstanceOfSatisfying(SnsRefusedException.class, e -> assertThat(e.problemType())
                        .isEqualTo(SnsRefusedException.DISABLED));
    }

    @Test
    void onlyListedTopicsAreAccepted() {
        assertThatThrownBy(() -> sns.verify(message().put("TopicArn", "arn:aws:sns:us-east-1:666:mine")))
                .hasMessageContaining("not one of ferry.alerts.sns.topics");
    }

    @Test
    void aStaleOrFutureTimestampIsRefused() {
        assertThatThrownBy(() -> sns.verify(message()
                        .put("Timestamp", NOW.minus(Duration.ofMinutes(61)).toString())))
                .hasMessageContaining("older than ferry.alerts.sns.max-age");
        assertThatThrownBy(() -> sns.verify(message()
                        .put("Timestamp", NOW.plus(Duration.ofMinutes(6)).toString())))
                .hasMessageContaining("in the future");
        assertThatThrownBy(() -> sns.verify(message().put("Timestamp", "yesterday")))
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void aRememberedMessageIdIsRefusedBeforeAnyCertificateIsFetched() {
        sns.remember(message());
        assertThatThrownBy(() -> sns.verify(message()))
                .isInstanceOfSatisfying(SnsRefusedException.class, e -> assertThat(e.problemType())
                        .isEqualTo(SnsRefusedException.REPLAYED));
        assertThatThrownBy(() -> sns.remember(message())).hasMessageContaining("already received");
        assertThat(sns.cachedCertificates()).isZero();
    }

    @Test
    void signatureVersionOneOnlyWhenAllowed() {
        assertThatThrownBy(() -> sns.verify(message().put("SignatureVersion", "1")))
                .hasMessageContaining("SignatureVersion '1' is not accepted");
        assertThatThrownBy(() -> sns.verify(message().put("SignatureVersion", "9")))
                .hasMessageContaining("SignatureVersion '9' is not accepted");
        // Allowed, version 1 gets as far as the certificate URL.
        assertThatThrownBy(() -> sns(List.of(TOPIC), true)
                        .verify(message()
                                .put("SignatureVersion", "1")
                                .put("SigningCertURL", "https://evil.example/c.pem")))
                .hasMessageContaining("not an Amazon SNS URL");
    }

    @Test
    void onlyAnSnsHostsPemIsACertificateUrl() {
        for (String url : List.of(
                "https://sns.us-east-1.amazonaws.com.evil.io/c.pem",
                "https://sns-certificates.s3.amazonaws.com/SimpleNotificationService-1.pem",
                "https://s3.amazonaws.com/sns.us-east-1.amazonaws.com/c.pem",
                "http://sns.us-east-1.amazonaws.com/c.pem",
                "https://sns.us-east-1.amazonaws.com:8443/c.pem",
                "https://x@sns.us-east-1.amazonaws.com/c.pem",
                "https://sns.us-east-1.amazonaws.com/c.txt",
                "https://sns.us-east-1.amazonaws.com/c.pem?x=1",
                "not a url")) {
            assertThatThrownBy(() -> sns.verify(message().put("SigningCertURL", url)))
                    .as(url)
                    .isInstanceOfSatisfying(SnsRefusedException.class, e -> assertThat(e.problemType())
                            .isEqualTo(SnsRefusedException.URL));
        }
        assertThat(sns.cachedCertificates()).isZero();
        SnsUrls urls = new SnsUrls(null);
        assertThat(urls.certificate("HTTPS://SNS.cn-north-1.amazonaws.com.cn:443/a/../SimpleNotificationService-1.pem"))
                .hasToString("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-1.pem");
        assertThat(urls.subscription("https://sns.us-gov-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=t"))
                .hasHost("sns.us-gov-west-1.amazonaws.com");
    }

    @Test
    void theSignedStringFollowsTheSnsOrderAndSkipsAbsentKeys() {
        ObjectNode message = message().put("Timestamp", "2026-11-22T03:14:36.190Z");
        message.remove("Subject");
        assertThat(SnsMessages.stringToSign(message))
                .isEqualTo(
                        "Message\n{}\nMessageId\nm-1\nTimestamp\n2026-11-22T03:14:36.190Z\nTopicArn\narn:aws:sns:us-east-1:0:t\n"
                                + "Type\nNotification\n");
    }

    private static ObjectNode message() {
        return new ObjectMapper()
                .createObjectNode()
                .put("Type", "Notification")
                .put("MessageId", "m-1")
                .put("TopicArn", TOPIC)
                .put("Subject", "ALARM")
                .put("Message", "{}")
                .put("Timestamp", NOW.minusSeconds(30).toString())
                .put("SignatureVersion", "2")
                .put("Signature", "AA==")
                .put("SigningCertURL", "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem");
    }
}
