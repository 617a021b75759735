package dev.ferry.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.Engine;
import dev.ferry.support.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With the production setting, a job's own webhook cannot point into Ferry's networks: loopback,
 * the instance metadata address, private ranges. Nothing is created when one does.
 */
class NetworkGuardIT {

    @Test
    void aJobsWebhookMayNotReachLoopbackMetadataOrPrivateAddresses() throws Exception {
        try (Engine engine =
                Engine.start(TestDatabase.newDatabase(), "ferry.notifications.allow-private-networks=false")) {
            Api api = engine.api();
            for (String url : List.of(
                    "http://127.0.0.1:8080/hook",
                    "http://169.254.169.254/latest/meta-data/",
                    "http://10.1.2.3/hook",
                    "http://[::1]/hook",
                    "http://localhost/hook")) {
                Api.Response refused = api.as("olivia", "operator")
                        .post(
                                "/api/v1/jobs",
                                Map.of(
                                        "plan",
                                        "rehearsal",
                                        "name",
                                        "ssrf",
                                        "parameters",
                                        Map.of(),
                                        "notifications",
                                        List.of(Map.of(
                                                "type",
                                                "webhook",
                                                "url",
                                                url,
                                                "secret",
                                                "a-long-enough-secret-value"))));
                assertThat(refused.status()).as(url).isEqualTo(400);
                JsonNode problem = refused.json();
                assertThat(problem.get("type").asText()).endsWith("/invalid-notification-target");
                assertThat(problem.get("detail").asText())
                        .containsPattern("(loopback|private|link-local) address|metadata address")
                        .doesNotContain(url);
            }
            assertThat(api.get("/api/v1/jobs").json().get("items")).isEmpty();
        }
    }
}
