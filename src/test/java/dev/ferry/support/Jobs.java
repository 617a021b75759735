package dev.ferry.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Builders and waits for jobs, over the HTTP API. */
public final class Jobs {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private Jobs() {}

    /** A plan (for {@link #registerPlan}) whose job waits for one approval, then runs one {@code noop} step. */
    public static final String ONE_APPROVAL_PLAN =
            """
            name: %s
            phases:
              cutover:
                approval: {required: 1}
                steps:
                  - {id: switch, action: noop}
            """;

    /** A plan name no other test uses. */
    public static String uniquePlanName(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
    }

    /** Registers {@code yaml} (whose name is {@code %s}, filled with a unique name) and returns the name. */
    public static String registerPlan(Api api, String prefix, String yamlWithNamePlaceholder) {
        String name = uniquePlanName(prefix);
        Api.Response response = api.as("plan-author")
                .post("/api/v1/plans", "application/yaml", yamlWithNamePlaceholder.formatted(name));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return name;
    }

    /** Creates a job as {@code user} and returns its id. */
    public static UUID create(Api api, String user, String plan, Map<String, Object> parameters) {
        Api.Response response = api.as(user)
                .post("/api/v1/jobs", Map.of("plan", plan, "name", "job of " + plan, "parameters", parameters));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return UUID.fromString(response.json().get("id").asText());
    }

    /** Creates a job as {@code user} and starts it; returns its id. */
    public static UUID start(Api api, String user, String plan, Map<String, Object> parameters) {
        UUID id = create(api, user, plan, parameters);
        Api.Response started = api.as(user).post("/api/v1/jobs/" + id + "/start", null);
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        return id;
    }

    public static JsonNode get(Api api, UUID id) {
        Api.Response response = api.get("/api/v1/jobs/" + id);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    /** Waits until the job is in {@code state}, and returns its view then. */
    public static JsonNode awaitState(Api api, UUID id, String state) {
        return awaitState(api, id, state, Duration.ofSeconds(60));
    }

    public static JsonNode awaitState(Api api, UUID id, String state, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            last[0] = get(api, id);
            assertThat(last[0].get("state").asText())
                    .as(last[0].toPrettyString())
                    .isEqualTo(state);
        });
        return last[0];
    }

    public static JsonNode phase(JsonNode job, String phase) {
        for (JsonNode p : job.get("phases")) {
            if (p.get("phase").asText().equals(phase)) {
                return p;
            }
        }
        throw new AssertionError("no phase " + phase);
    }

    public static JsonNode step(JsonNode job, String stepId) {
        for (JsonNode p : job.get("phases")) {
            for (JsonNode s : p.get("steps")) {
                if (s.get("id").asText().equals(stepId)) {
                    return s;
                }
            }
        }
        throw new AssertionError("no step " + stepId);
    }
}
