package dev.ferry.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.Engine;
import dev.ferry.support.TestDatabase;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A service with no {@code ferry.alerts.sns.topics} (the default) refuses every SNS delivery and
 * confirms no subscription, however well signed.
 */
class SnsIntakeDisabledIT {

    @Test
    void withoutTopicsNothingIsConfirmedOrObeyed() throws Exception {
        try (SnsSigner sns = SnsSigner.start();
                Engine engine = Engine.start(
                        TestDatabase.newDatabase(),
                        "ferry.alerts.sns.cert-url-pattern=^http://127\\.0\\.0\\.1:[0-9]+/.*")) {
            Api api = engine.api();
            JsonNode subscribe = sns.sign(SnsSigner.confirmation(sns.local("/confirm?Action=ConfirmSubscription")));
            JsonNode alarm = sns.sign(SnsSigner.notification("any-" + UUID.randomUUID(), "ALARM"));

            for (JsonNode message : new JsonNode[] {subscribe, alarm}) {
                Api.Response refused = api.send(api.request("/api/v1/alerts/sns")
                        .header("Content-Type", "text/plain; charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofString(message.toString())));
                assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
                assertThat(refused.json().get("type").asText()).endsWith("/sns-intake-disabled");
            }
            assertThat(sns.requests("/confirm")).isZero();
            assertThat(sns.requests("/SimpleNotificationService-test.pem")).isZero();
            assertThat(engine.jdbc().queryForObject("SELECT count(*) FROM alert_receipt", Integer.class))
                    .isZero();
            assertThat(engine.jdbc().queryForObject("SELECT count(*) FROM sns_message_seen", Integer.class))
                    .isZero();
        }
    }
}
