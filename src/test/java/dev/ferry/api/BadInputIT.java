package dev.ferry.api;

import static dev.ferry.support.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestTokens;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint, fed bad input: each answer is a problem document with the right status and a
 * stable {@code type}, never a stack trace, and nothing is half-written.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT extends FerryIT {

    /** The name of every job the cases below try to create; none may be stored. */
    private static final String REJECTED_NAME = "bad-input-never-stored";

    private static final int ONE_MIB = 1_048_576;

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: target, type: string, required: true}
              - {name: count, type: integer, default: 1}
            phases:
              prepare:
                steps:
                  - {id: first, action: noop}
              cutover:
                approval: {required: 1}
                steps:
                  - {id: switch, action: noop}
            """;

    private static final String FAILING_PLAN =
            """
            name: %s
            phases:
              copy:
                steps:
                  - id: broken
                    action: fail
                    with: {message: always}
                    retry: {maxAttempts: 1}
                  - {id: after, action: noop}
            """;

    private static Fixtures fixtures;

    /** Jobs in known states, made once for all cases (the cases must not change them). */
    private record Fixtures(String plan, UUID created, UUID paused, UUID cancelled) {

        String resolve(String text) {
            return text.replace("{plan}", plan)
                    .replace("{created}", created.toString())
                    .replace("{paused}", paused.toString())
                    .replace("{cancelled}", cancelled.toString())
                    .replace("{unknown}", "00000000-0000-4000-8000-000000000000");
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // POST /jobs
                post("/api/v1/jobs").json("{\"plan\": \"{plan}\", \"name\": ").expect(400, "malformed-body"),
                post("/api/v1/jobs").json(create("\"bogus\": 1")).expect(400, "unknown-field"),
                post("/api/v1/jobs")
                        .json("{\"plan\": \"{plan}\", \"name\": 42, \"parameters\": {\"target\": \"a\"}}")
                        .expect(400, "invalid-value"),
                post("/api/v1/jobs").json(create("\"planVersion\": \"one\"")).expect(400, "invalid-value"),
                post("/api/v1/jobs")
                        .json("{\"plan\": \"{plan}\", \"name\": \"" + REJECTED_NAME
                                + "\", \"parameters\": \"target=a\"}")
                        .expect(400, "invalid-parameters"),
                post("/api/v1/jobs")
                        .json("{\"name\": \"" + REJECTED_NAME + "\", \"parameters\": {\"target\": \"a\"}}")
                        .expect(400, "validation-failed"),
                post("/api/v1/jobs")
                        .json("{\"plan\": \"{plan}\", \"parameters\": {\"target\": \"a\"}}")
                        .expect(400, "validation-failed"),
                post("/api/v1/jobs")
                        .json("{\"plan\": \"no-such-plan\", \"name\": \"" + REJECTED_NAME + "\"}")
                        .expect(404, "plan-not-found"),
                post("/api/v1/jobs")
                        .json("{\"plan\": \"{plan}\", \"name\": \"" + REJECTED_NAME + "\", \"parameters\": {}}")
                        .expect(400, "invalid-parameters"),
                post("/api/v1/jobs")
                        .json("{\"plan\": \"{plan}\", \"name\": \"" + REJECTED_NAME
                                + "\", \"parameters\": {\"target\": \"a\", \"count\": \"two\"}}")
                        .expect(400, "invalid-parameters"),
                post("/api/v1/jobs")
                        .json("{\"plan\": \"{plan}\", \"name\": \"" + REJECTED_NAME
                                + "\", \"parameters\": {\"target\": \"a\", \"nope\": 1}}")
                        .expect(400, "invalid-parameters"),
                post("/api/v1/jobs").json(create("\"planVersion\": 0")).expect(400, "validation-failed"),
                post("/api/v1/jobs")
                        .header("Idempotency-Key", "k".repeat(201))
                        .json(create(null))
                        .expect(400, "validation-failed"),
                post("/api/v1/jobs").anonymous().json(create(null)).expect(401, "unauthenticated"),
                post("/api/v1/jobs")
                        .header("Authorization", "Bearer not a token!")
                        .json(create(null))
                        .expect(401, "invalid-token"),
                post("/api/v1/jobs")
                        .as("viewer-only", "viewer")
                        .json(create(null))
                        .expect(403, "forbidden"),
                post("/api/v1/jobs").body("text/plain", create(null)).expect(415, "unsupported-media-type"),
                post("/api/v1/jobs").json(oversized()).expect(413, "payload-too-large"),
                post("/api/v1/jobs").json(oversized()).chunked().expect(413, "payload-too-large"),
                // GET /jobs
                get("/api/v1/jobs?state=BOGUS").expect(400, "invalid-parameter"),
                get("/api/v1/jobs?limit=0").expect(400, "validation-failed"),
                get("/api/v1/jobs?limit=501").expect(400, "validation-failed"),
                get("/api/v1/jobs?limit=ten").expect(400, "invalid-parameter"),
                get("/api/v1/jobs?cursor=not-a-cursor").expect(400, "invalid-cursor"),
                // GET /jobs/{id} and its events
                get("/api/v1/jobs/not-a-uuid").expect(400, "invalid-parameter"),
                get("/api/v1/jobs/{unknown}").expect(404, "job-not-found"),
                get("/api/v1/jobs/{created}/events?after=-1").expect(400, "validation-failed"),
                get("/api/v1/jobs/{created}/events?limit=0").expect(400, "validation-failed"),
                get("/api/v1/jobs/{unknown}/events").expect(404, "job-not-found"),
                // commands: unknown job, wrong state, unknown body field
                post("/api/v1/jobs/{unknown}/start").expect(404, "job-not-found"),
                post("/api/v1/jobs/{unknown}/pause").expect(404, "job-not-found"),
                post("/api/v1/jobs/{unknown}/resume").expect(404, "job-not-found"),
                post("/api/v1/jobs/{unknown}/retry").expect(404, "job-not-found"),
                post("/api/v1/jobs/{unknown}/cancel").expect(404, "job-not-found"),
                post("/api/v1/jobs/{paused}/start").expect(409, "transition-not-allowed"),
                post("/api/v1/jobs/{created}/pause").expect(409, "transition-not-allowed"),
                post("/api/v1/jobs/{created}/resume").expect(409, "transition-not-allowed"),
                post("/api/v1/jobs/{created}/retry").expect(409, "transition-not-allowed"),
                post("/api/v1/jobs/{cancelled}/cancel").expect(409, "transition-not-allowed"),
                post("/api/v1/jobs/{created}/start")
                        .json("{\"reason\": \"go\", \"why\": \"x\"}")
                        .expect(400, "unknown-field"),
                post("/api/v1/jobs/{created}/pause").json("{\"why\": \"x\"}").expect(400, "unknown-field"),
                post("/api/v1/jobs/{created}/resume").json("{\"why\": \"x\"}").expect(400, "unknown-field"),
                post("/api/v1/jobs/{created}/retry").json("{\"why\": \"x\"}").expect(400, "unknown-field"),
                post("/api/v1/jobs/{created}/cancel").json("{\"why\": \"x\"}").expect(400, "unknown-field"),
                // approvals
                post("/api/v1/jobs/{created}/phases/nope/approve").expect(404, "phase-not-found"),
                post("/api/v1/jobs/{created}/phases/cutover/approve").as("bob").expect(409, "approval-not-open"),
                post("/api/v1/jobs/{created}/phases/cutover/reject")
                        .as("bob")
                        .json("{}")
                        .expect(400, "validation-failed"),
                // skipping a step
                post("/api/v1/jobs/{paused}/steps/broken/skip").json("{}").expect(400, "validation-failed"),
                post("/api/v1/jobs/{paused}/steps/nope/skip")
                        .json("{\"reason\": \"x\"}")
                        .expect(404, "step-not-found"),
                post("/api/v1/jobs/{paused}/steps/after/skip")
                        .json("{\"reason\": \"x\"}")
                        .expect(409, "step-not-failed"),
                // elsewhere
                get("/api/v1/nothing-here").expect(404, "not-found"),
                request("DELETE", "/api/v1/jobs").expect(405, "method-not-allowed"),
                get("/api/v1/plans/no-such-plan").expect(404, "plan-not-found"),
                post("/api/v1/plans/{plan}/preview")
                        .json("{\"parameters\": {}}")
                        .expect(400, "invalid-parameters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Order(1)
    void answersWithAProblem(Case c) {
        Api.Response response = send(c);

        assertThat(response.status()).as(response.toString()).isEqualTo(c.status());
        assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("type").asText()).as(response.toString()).endsWith("/" + c.slug());
        assertThat(problem.path("title").asText()).as(response.toString()).isNotBlank();
        assertThat(problem.path("detail").asText()).as(response.toString()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "at dev.", "at org.", "trace");
        if (c.slug().equals("transition-not-allowed")) {
            assertThat(problem.path("currentState").asText())
                    .as(response.toString())
                    .isNotBlank();
            assertThat(problem.path("allowedActions").isArray())
                    .as(response.toString())
                    .isTrue();
        }
    }

    @Test
    @Order(1)
    void aRefusedTransitionNamesTheStateAndWhatIsAllowed() {
        Fixtures f = fixtures();
        JsonNode problem = api().as("alice")
                .post("/api/v1/jobs/" + f.paused() + "/start", null)
                .json();

        assertThat(problem.get("currentState").asText()).isEqualTo("PAUSED");
        assertThat(problem.get("allowedActions"))
                .extracting(JsonNode::asText)
                .contains("retry", "cancel")
                .doesNotContain("start");
    }

    /** Runs after the cases: no refused request left a row behind or moved a fixture job. */
    @Test
    @Order(2)
    void nothingWasHalfWritten() {
        Fixtures f = fixtures();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM migration_job WHERE name = ?", Integer.class, REJECTED_NAME))
                .isZero();
        // Only the two fixture jobs were made from the plan the refused requests named.
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM migration_job j JOIN plan p ON p.id = j.plan_id" + " WHERE p.name = ?",
                        Integer.class,
                        f.plan()))
                .as("jobs of the fixture plan")
                .isEqualTo(2);
        assertThat(state(f.created())).isEqualTo("CREATED");
        assertThat(state(f.paused())).isEqualTo("PAUSED");
        assertThat(state(f.cancelled())).isEqualTo("CANCELLED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM approval WHERE job_id = ?", Integer.class, f.created()))
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM step_execution WHERE job_id = ? AND status = 'SKIPPED'",
                        Integer.class,
                        f.paused()))
                .isZero();
    }

    private String state(UUID id) {
        return jdbc.queryForObject("SELECT state FROM migration_job WHERE id = ?", String.class, id);
    }

    private Api.Response send(Case c) {
        Fixtures f = fixtures();
        Api api = api().anonymous();
        for (Map.Entry<String, String> header : c.headers().entrySet()) {
            api = api.header(header.getKey(), header.getValue());
        }
        HttpRequest.Builder request = api.request(f.resolve(c.path()));
        if (c.body() == null) {
            request.method(c.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            byte[] bytes = f.resolve(c.body()).getBytes(StandardCharsets.UTF_8);
            request.header("Content-Type", c.contentType());
            // An input stream has no known length, so the client sends it chunked.
            request.method(
                    c.method(),
                    c.chunked()
                            ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                            : HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        return api.send(request);
    }

    private synchronized Fixtures fixtures() {
        if (fixtures == null) {
            Api api = api();
            String plan = Jobs.registerPlan(api, "bad-input", PLAN);
            Map<String, Object> parameters = Map.of("target", "a");
            UUID created = Jobs.create(api, "alice", plan, parameters);
            UUID cancelled = Jobs.create(api, "alice", plan, parameters);
            assertThat(api.as("alice")
                            .post("/api/v1/jobs/" + cancelled + "/cancel", null)
                            .status())
                    .isEqualTo(200);
            String failing = Jobs.registerPlan(api, "bad-input-failing", FAILING_PLAN);
            UUID paused = Jobs.create(api, "alice", failing, Map.of());
            assertThat(api.as("alice")
                            .post("/api/v1/jobs/" + paused + "/start", null)
                            .status())
                    .isEqualTo(200);
            awaitState(api, paused, "PAUSED");
            fixtures = new Fixtures(plan, created, paused, cancelled);
        }
        return fixtures;
    }

    private static String create(String extraField) {
        return "{\"plan\": \"{plan}\", \"name\": \"" + REJECTED_NAME + "\", \"parameters\": {\"target\": \"a\"}"
                + (extraField == null ? "" : ", " + extraField) + "}";
    }

    /** A valid-looking creation whose name alone takes the body past 1 MiB. */
    private static String oversized() {
        return "{\"plan\": \"{plan}\", \"name\": \"" + "x".repeat(ONE_MIB + 100) + "\"}";
    }

    private static Case.Builder get(String path) {
        return request("GET", path).as("dashboard", "viewer");
    }

    private static Case.Builder post(String path) {
        return request("POST", path);
    }

    private static Case.Builder request(String method, String path) {
        return new Case.Builder(method, path).as("alice");
    }

    /** One bad request and the problem it must get. */
    record Case(
            String method,
            String path,
            Map<String, String> headers,
            String contentType,
            String body,
            boolean chunked,
            int status,
            String slug) {

        @Override
        public String toString() {
            String shownBody = body == null ? "" : " " + (body.length() > 80 ? body.substring(0, 80) + "…" : body);
            return method + " " + path + (headers.isEmpty() ? "" : " " + headers) + (chunked ? " (chunked)" : "")
                    + shownBody + " → " + status + " " + slug;
        }

        static final class Builder {

            private final String method;
            private final String path;
            private final Map<String, String> headers = new LinkedHashMap<>();
            private String contentType;
            private String body;
            private boolean chunked;

            Builder(String method, String path) {
                this.method = method;
                this.path = path;
            }

            Builder as(String user, String... roles) {
                headers.put(
                        "Authorization",
                        "Bearer "
                                + TestTokens.jwt(
                                        user, roles.length == 0 ? TestTokens.EVERY_HUMAN_ROLE : List.of(roles)));
                return this;
            }

            Builder anonymous() {
                headers.remove("Authorization");
                return this;
            }

            Builder header(String name, String value) {
                headers.put(name, value);
                return this;
            }

            Builder json(String json) {
                return body("application/json", json);
            }

            Builder body(String type, String text) {
                this.contentType = type;
                this.body = text;
                return this;
            }

            Builder chunked() {
                this.chunked = true;
                return this;
            }

            Case expect(int status, String slug) {
                return new Case(method, path, Map.copyOf(headers), contentType, body, chunked, status, slug);
            }
        }
    }
}
