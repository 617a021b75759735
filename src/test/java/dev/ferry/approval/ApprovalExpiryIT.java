package dev.ferry.approval;

import static dev.ferry.support.Jobs.awaitState;
import static dev.ferry.support.Jobs.phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** An approval given too long before the phase can start no longer counts. */
class ApprovalExpiryIT extends FerryIT {

    @Test
    void anExpiredApprovalDoesNotCountAndCanBeGivenAgain() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "expiry",
                """
                name: %s
                phases:
                  cutover:
                    approval: {required: 2, expiresAfter: PT5S}
                    steps:
                      - {id: switch, action: test.count}
                """);
        UUID id = Jobs.create(api, "alice", plan, Map.of());
        api.as("alice").post("/api/v1/jobs/" + id + "/start", null);
        awaitState(api, id, "AWAITING_APPROVAL");
        api.as("bob").post("/api/v1/jobs/" + id + "/phases/cutover/approve", Map.of("comment", "early"));
        // Nothing is written when the approval expires: polling with its ETag must still see it go.
        String path = "/api/v1/jobs/" + id;
        AtomicReference<String> etag = new AtomicReference<>(api.get(path).header("ETag"));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Api.Response polled =
                            api.header("If-None-Match", etag.get()).get(path);
                    if (polled.status() == 304) {
                        return false;
                    }
                    etag.set(polled.header("ETag"));
                    return phase(polled.json(), "CUTOVER")
                                    .get("approval")
                                    .get("validApprovals")
                                    .asInt()
                            == 0;
                });

        JsonNode afterCarol = api.as("carol")
                .post("/api/v1/jobs/" + id + "/phases/cutover/approve", null)
                .json();
        assertThat(afterCarol.get("state").asText())
                .as("bob's approval expired")
                .isEqualTo("AWAITING_APPROVAL");

        JsonNode afterBobAgain = api.as("bob")
                .post("/api/v1/jobs/" + id + "/phases/cutover/approve", null)
                .json();
        assertThat(afterBobAgain.get("state").asText()).isIn("RUNNING", "SUCCEEDED");
        awaitState(api, id, "SUCCEEDED");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM approval WHERE job_id = ? AND superseded_at IS NOT NULL",
                        Integer.class,
                        id))
                .isEqualTo(1);
    }
}
