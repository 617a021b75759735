package dev.ferry.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.Engine;
import dev.ferry.support.TestDatabase;
import java.net.InetAddress;
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
        try (Engine engine = Engine.start(TestDatabase.newDatabase(), "ferry.notifications.allow-private-networks=false")) {
            Api api = engine.api();
            for (String url : List.of("http://127.0.0.1:8080/hook", "http://169.254.169.254/latest/meta-data/",
                    "http://10.1.2.3/hook", "http://[::1]/hook", "http://localhost/hook")) {
                Api.Response refused = api.as("olivia", "operator").post("/api/v1/jobs", Map.of("plan", "rehearsal",
                        "name", "ssrf", "parameters", Map.of(), "notifications", List.of(Map.of("type", "webhook",
                                "url", url, "secret", "a-long-enough-secret-value"))));
                assertThat(refused.status()).as(url).isEqualTo(400);
                JsonNode problem = refused.json();
                assertThat(problem.get("type").asText()).endsWith("/invalid-notification-target");
                assertThat(problem.get("detail").asText()).contains("private address").doesNotContain(url);
            }
            assertThat(api.get("/api/v1/jobs").json().get("items")).isEmpty();
        }
    }

    @Test
    void publicAddressesPassAndEveryPrivateRangeIsKnown() throws Exception {
        for (String address : List.of("10.0.0.1", "172.16.0.1", "192.168.1.1", "127.0.0.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "198.18.0.1")) {
            assertThat(NetworkGuard.isPublic(InetAddress.getByName(address))).as(address).isFalse();
        }
        for (String address : List.of("8.8.8.8", "52.94.76.1", "2600:1f18::1")) {
            assertThat(NetworkGuard.isPublic(InetAddress.getByName(address))).as(address).isTrue();
        }
    }
}
