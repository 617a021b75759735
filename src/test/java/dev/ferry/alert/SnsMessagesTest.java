package dev.ferry.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnsMessagesTest {

    private static final String DEFAULT_PATTERN = "^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/.*";
    private final SnsMessages sns = new SnsMessages(new SnsProperties(DEFAULT_PATTERN, null, true));

    @Test
    void aCertificateFromAnywhereButSnsIsRefused() {
        ObjectNode message = message().put("SigningCertURL", "https://sns.us-east-1.amazonaws.com.evil.io/c.pem");
        assertThatThrownBy(() -> sns.verify(message)).hasMessageContaining("not an Amazon SNS one");
    }

    @Test
    void anSnsCertificateUrlIsAcceptedAndTheVersionChecked() {
        ObjectNode message = message().put("SigningCertURL", "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-1.pem")
                .put("SignatureVersion", "9");
        assertThatThrownBy(() -> sns.verify(message)).hasMessageContaining("SignatureVersion");
    }

    @Test
    void onlyListedTopicsAreAccepted() {
        SnsMessages strict = new SnsMessages(new SnsProperties(DEFAULT_PATTERN, List.of("arn:aws:sns:us-east-1:1:ok"), true));
        assertThatThrownBy(() -> strict.verify(message())).hasMessageContaining("not accepted");
    }

    @Test
    void theSignedStringFollowsTheSnsOrderAndSkipsAbsentKeys() {
        ObjectNode message = message();
        message.remove("Subject");
        assertThat(SnsMessages.stringToSign(message)).isEqualTo(
                "Message\n{}\nMessageId\nm-1\nTimestamp\n2026-11-22T03:14:36.190Z\nTopicArn\narn:aws:sns:us-east-1:0:t\n"
                        + "Type\nNotification\n");
    }

    private static ObjectNode message() {
        return new ObjectMapper().createObjectNode().put("Type", "Notification").put("MessageId", "m-1")
                .put("TopicArn", "arn:aws:sns:us-east-1:0:t").put("Subject", "ALARM").put("Message", "{}")
                .put("Timestamp", "2026-11-22T03:14:36.190Z").put("SignatureVersion", "2").put("Signature", "AA==");
    }
}
