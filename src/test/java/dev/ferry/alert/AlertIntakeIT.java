package dev.ferry.alert;

import static dev.ferry.support.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Alertmanager and generic alerts, with the real payloads from shared/fixtures/alerts. */
class AlertIntakeIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: alertMatchers, type: map, required: true}
              - {name: early, type: duration, default: PT0S}
            phases:
              prepare:
                steps:
                  - {id: early-wait, action: wait, with: {duration: "${params.early}"}}
              freeze:
                steps:
                  - id: freeze
                    action: noop
                    compensate: {action: noop, with: {message: unfreeze}}
              cutover:
                steps:
                  - {id: switch, action: noop}
                  - {id: watch, action: wait, with: {duration: PT60S}}
            """;

    @Test
    void aFiringAlertRollsBackTheMatchingJobOnceAndRecordsRepeats() throws Exception {
        String service = "backend-" + UUID.randomUUID().toString().substring(0, 8);
        UUID id = jobInCutover(service);
        Api alertmanager = api().as("alertmanager", "alerter");

        Instant sent = Instant.now();
        JsonNode first = alertmanager
                .post("/api/v1/alerts/alertmanager", firing(service))
                .json();
        assertThat(first.at("/receipts/0/outcomes/0/outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(first.at("/receipts/0/outcomes/0/jobId").asText()).isEqualTo(id.toString());
        awaitState(api(), id, "ROLLED_BACK");

        JsonNode again = alertmanager
                .post("/api/v1/alerts/alertmanager", firing(service))
                .json();
        assertThat(again.at("/receipts/0/outcomes/0/outcome").asText()).isEqualTo("DUPLICATE");
        JsonNode resolved = alertmanager
                .post(
                        "/api/v1/alerts/alertmanager",
                        fixture("alertmanager-resolved.json").toString().replace("fluxion-backend", service))
                .json();
        assertThat(resolved.at("/receipts/0/outcomes/0/outcome").asText()).isEqualTo("IGNORED_RESOLVED");

        JsonNode events =
                api().get("/api/v1/jobs/" + id + "/events?limit=1000").json().get("items");
        JsonNode requested = find(events, "ROLLBACK_REQUESTED");
        assertThat(requested.get("actor").asText()).isEqualTo("alertmanager");
        // The repeat came after the end: its receipt says DUPLICATE; a closed history takes no event (V31).
        assertThat(events).noneMatch(e -> e.get("type").asText().equals("ROLLBACK_DUPLICATE"));
        Instant compensating = Instant.parse(
                find(events, "STEP_COMPENSATION_STARTED").get("at").asText());
        System.out.printf(
                "alert POST to first compensation step started: %d ms%n",
                Duration.between(sent, compensating).toMillis());
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM alert_receipt WHERE fingerprint = '6a3f2c9b1e07d4c5' "
                                + "AND outcomes @> ?::jsonb",
                        Integer.class,
                        "[{\"jobId\": \"" + id + "\"}]"))
                .isEqualTo(2);
    }

    @Test
    void alertsOutsideCutoverAndObserveOrForNobodyChangeNothing() throws Exception {
        String service = "backend-" + UUID.randomUUID().toString().substring(0, 8);
        Api api = api();
        String plan = Jobs.registerPlan(api, "alerts-early", PLAN);
        UUID id = Jobs.start(
                api,
                "alice",
                plan,
                Map.of(
                        "alertMatchers",
                        Map.of("alertname", "BackendHighErrorRate", "service", service),
                        "early",
                        "PT30S"));
        Api alertmanager = api.as("alertmanager", "alerter");
        JsonNode early = alertmanager
                .post("/api/v1/alerts/alertmanager", firing(service))
                .json();
        assertThat(early.at("/receipts/0/outcomes/0/outcome").asText()).isEqualTo("NOT_ELIGIBLE");
        JsonNode nobody = alertmanager
                .post("/api/v1/alerts/alertmanager", firing("no-such-service"))
                .json();
        assertThat(nobody.at("/receipts/0/outcomes/0/outcome").asText()).isEqualTo("MATCHED_NOTHING");
        assertThat(Jobs.get(api, id).get("state").asText()).isEqualTo("RUNNING");
        api.as("alice").post("/api/v1/jobs/" + id + "/cancel", null);
    }

    @Test
    void withoutTheRightTokenNothingHappens() throws Exception {
        String service = "backend-" + UUID.randomUUID().toString().substring(0, 8);
        UUID id = jobInCutover(service);
        for (Api caller : new Api[] {api().anonymous(), api().bearer("wrong")}) {
            Api.Response refused = caller.post("/api/v1/alerts/alertmanager", firing(service));
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
        }
        // Known callers without the alerter role: an operator, and a viewer (the default client).
        for (Api caller : new Api[] {api().as("alice", "operator"), api()}) {
            Api.Response refused = caller.post("/api/v1/alerts/alertmanager", firing(service));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().get("type").asText()).endsWith("/forbidden");
        }
        assertThat(Jobs.get(api(), id).get("state").asText()).isEqualTo("RUNNING");
        api().as("alice").post("/api/v1/jobs/" + id + "/cancel", null);
    }

    @Test
    void aGenericAlertNamesItsJob() throws Exception {
        UUID id = jobInCutover("generic-" + UUID.randomUUID().toString().substring(0, 8));
        Api generic = api().as("alertmanager", "alerter");
        Api.Response missing = generic.post("/api/v1/alerts/generic", Map.of("jobId", id.toString()));
        assertThat(missing.status()).isEqualTo(400);
        JsonNode receipt = generic.post(
                        "/api/v1/alerts/generic",
                        Map.of(
                                "jobId",
                                id.toString(),
                                "reason",
                                "synthetic check failing",
                                "fingerprint",
                                "synthetic-" + id))
                .json();
        assertThat(receipt.at("/receipts/0/outcomes/0/outcome").asText()).isEqualTo("ROLLED_BACK");
        awaitState(api(), id, "ROLLED_BACK");
    }

    @Test
    void aPlanDecidesPerPhaseWhetherAlertsMayRollBack() throws Exception {
        String plan = PLAN.replace("  prepare:\n", "  prepare:\n    alertRollback: true\n")
                .replace("  cutover:\n", "  cutover:\n    alertRollback: false\n");
        Api api = api();
        Api alertmanager = api.as("alertmanager", "alerter");
        String early = "backend-" + UUID.randomUUID().toString().substring(0, 8);
        UUID inPrepare = Jobs.start(
                api,
                "alice",
                Jobs.registerPlan(api, "alerts-prepare", plan),
                Map.of(
                        "alertMatchers",
                        Map.of("alertname", "BackendHighErrorRate", "service", early),
                        "early",
                        "PT30S"));
        Jobs.awaitState(api, inPrepare, "RUNNING");
        JsonNode opted =
                alertmanager.post("/api/v1/alerts/alertmanager", firing(early)).json();
        assertThat(opted.at("/receipts/0/outcomes/0/outcome").asText()).isEqualTo("ROLLED_BACK");
        awaitState(api, inPrepare, "ROLLED_BACK");

        String late = "backend-" + UUID.randomUUID().toString().substring(0, 8);
        UUID inCutover = jobInCutover(late, plan);
        JsonNode refused =
                alertmanager.post("/api/v1/alerts/alertmanager", firing(late)).json();
        assertThat(refused.at("/receipts/0/outcomes/0/outcome").asText()).isEqualTo("NOT_ELIGIBLE");
        assertThat(refused.at("/receipts/0/outcomes/0/detail").asText()).contains("alertRollback: false");
        assertThat(Jobs.get(api, inCutover).get("state").asText()).isEqualTo("RUNNING");
        api.as("alice").post("/api/v1/jobs/" + inCutover + "/cancel", null);
    }

    private UUID jobInCutover(String service) {
        return jobInCutover(service, PLAN);
    }

    private UUID jobInCutover(String service, String planText) {
        Api api = api();
        String plan = Jobs.registerPlan(api, "alerts", planText);
        UUID id = Jobs.start(
                api,
                "alice",
                plan,
                Map.of("alertMatchers", Map.of("alertname", "BackendHighErrorRate", "service", service)));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING"
                .equals(Jobs.step(Jobs.get(api, id), "watch").get("status").asText()));
        return id;
    }

    private static String firing(String service) throws IOException {
        ObjectNode payload = (ObjectNode) fixture("alertmanager-firing.json");
        ((ObjectNode) payload.at("/alerts/0/labels")).put("service", service);
        return payload.toString();
    }

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = AlertIntakeIT.class.getResourceAsStream("/fixtures/alerts/" + name)) {
            return JSON.readTree(in);
        }
    }

    private static JsonNode find(JsonNode events, String type) {
        for (JsonNode event : events) {
            if (event.get("type").asText().equals(type)) {
                return event;
            }
        }
        throw new AssertionError("no " + type + " event");
    }
}
