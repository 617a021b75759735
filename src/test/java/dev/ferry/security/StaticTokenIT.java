package dev.ferry.security;

import static dev.ferry.support.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestTokens;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A job run with static API tokens alone, as a CI pipeline and a dashboard would. */
class StaticTokenIT extends FerryIT {

    @Test
    void aStaticOperatorTokenRunsAJobAndAStaticViewerWatchesIt() {
        String plan = Jobs.registerPlan(
                api(),
                "static-token",
                """
                name: %s
                phases:
                  prepare:
                    steps:
                      - {id: one, action: noop}
                """);
        Api pipeline = api().bearer(TestTokens.STATIC_OPERATOR);
        Api dashboard = api().bearer(TestTokens.STATIC_VIEWER);

        Api.Response created = pipeline.post("/api/v1/jobs", Map.of("plan", plan, "name", "from CI"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(dashboard.post("/api/v1/jobs/" + id + "/start", null).status())
                .isEqualTo(403);
        assertThat(pipeline.post("/api/v1/jobs/" + id + "/start", null).status())
                .isEqualTo(200);

        JsonNode done = awaitState(dashboard, UUID.fromString(id), "SUCCEEDED");
        assertThat(done.get("createdBy").asText()).isEqualTo("static-operator");
        JsonNode events = dashboard.get("/api/v1/jobs/" + id + "/events").json().get("items");
        assertThat(events.get(0).get("actor").asText()).isEqualTo("static-operator");
        assertThat(api().bearer(TestTokens.STATIC_EXPIRED)
                        .get("/api/v1/jobs/" + id)
                        .status())
                .isEqualTo(401);
    }
}
