package dev.ferry.plan.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What the people around a built-in plan do in these tests (approve, roll back, skip, move a
 * not-before, work through the runbook's checklist of manual steps), and the small pieces of estate
 * every plan needs (calm alarms, secrets, real PostgreSQL databases behind secrets).
 */
final class Operators {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecretsManagerClient SECRETS = AwsEmulator.client(SecretsManagerClient.builder());
    private static final CloudWatchClient CLOUDWATCH = AwsEmulator.client(CloudWatchClient.builder());

    private Operators() {}

    /** A short unique suffix for resource names. */
    static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static void approve(Api api, UUID id, String phase, String... approvers) {
        for (String approver : approvers) {
            Api.Response response = api.as(approver, "approver")
                    .post(
                            "/api/v1/jobs/" + id + "/phases/" + phase + "/approve",
                            Map.of("comment", "looked at the dashboards"));
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
        }
    }

    static void rollback(Api api, UUID id, String reason) {
        Api.Response response = api.as("oncall").post("/api/v1/jobs/" + id + "/rollback", Map.of("reason", reason));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    static void skip(Api api, UUID id, String step, String reason) {
        Api.Response response =
                api.as("oncall").post("/api/v1/jobs/" + id + "/steps/" + step + "/skip", Map.of("reason", reason));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    /** Moves a phase's not-before (e.g. the seven days before CLEANUP) to now. */
    static void notBeforeNow(Api api, UUID id, String phase, String reason) {
        Api.Response response = api.as("oncall")
                .post(
                        "/api/v1/jobs/" + id + "/phases/" + phase + "/not-before",
                        Map.of("at", Instant.now().toString(), "reason", reason));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    /**
     * Waits until {@code step} has {@code status} (e.g. a soak that is RUNNING), and returns the job
     * then; the checklist's manual steps met on the way are done (see {@link #doChecklist}).
     */
    static JsonNode awaitStep(Api api, UUID id, String step, String status) {
        JsonNode[] job = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    job[0] = Jobs.get(api, id);
                    if (!status.equals(Jobs.step(job[0], step).get("status").asText())) {
                        doChecklist(api, job[0], step);
                    }
                    assertThat(Jobs.step(job[0], step).get("status").asText())
                            .as(job[0].toPrettyString())
                            .isEqualTo(status);
                });
        return job[0];
    }

    /** Waits until the manual step {@code step} waits for a person, doing the checklist before it. */
    static JsonNode awaitPerson(Api api, UUID id, String step) {
        JsonNode[] job = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    job[0] = Jobs.get(api, id);
                    doChecklist(api, job[0], step);
                    assertThat(waitingRole(Jobs.step(job[0], step)))
                            .as(job[0].toPrettyString())
                            .isNotNull();
                });
        return job[0];
    }

    /** Waits until the job is in {@code state}, doing the checklist's manual steps met on the way. */
    static JsonNode awaitState(Api api, UUID id, String state, Duration atMost) {
        JsonNode[] job = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            job[0] = Jobs.get(api, id);
            if (!state.equals(job[0].get("state").asText())) {
                doChecklist(api, job[0], null);
            }
            assertThat(job[0].get("state").asText()).as(job[0].toPrettyString()).isEqualTo(state);
        });
        return job[0];
    }

    static JsonNode awaitState(Api api, UUID id, String state) {
        return awaitState(api, id, state, Duration.ofSeconds(60));
    }

    /**
     * Completes every manual step of {@code job} that waits for a person (except {@code keep}), as
     * someone with the role the step names, with a note and a link: the evidence every built-in
     * checklist item asks for is one of those. A completion the service refuses for the moment (a
     * worker is looking at the step) is simply sent again on the next look.
     */
    static void doChecklist(Api api, JsonNode job, String keep) {
        for (JsonNode phase : job.get("phases")) {
            for (JsonNode step : phase.get("steps")) {
                String role = waitingRole(step);
                if (role == null || step.get("id").asText().equals(keep)) {
                    continue;
                }
                api.as(role + "-on-duty", role)
                        .post(
                                "/api/v1/jobs/" + job.get("id").asText() + "/steps/"
                                        + step.get("id").asText() + "/complete",
                                Map.of(
                                        "note",
                                        "checked, all as the runbook says",
                                        "evidence",
                                        Map.of(
                                                "url",
                                                "https://tickets.example.com/MIG-"
                                                        + step.get("id").asText())));
            }
        }
    }

    /** The role a manual step waits for, from its message, or null when it waits for nobody. */
    static String waitingRole(JsonNode step) {
        String message = step.path("message").asText();
        if (!"manual".equals(step.path("action").asText())
                || !"RUNNING".equals(step.path("status").asText())
                || !message.startsWith("waiting for a person (")) {
            return null;
        }
        return message.substring("waiting for a person (".length(), message.indexOf(')'));
    }

    /** The manual steps of {@code job} and who completed each ({@code null} while not done). */
    static Map<String, String> checklist(JsonNode job) {
        Map<String, String> done = new LinkedHashMap<>();
        for (JsonNode phase : job.get("phases")) {
            for (JsonNode step : phase.get("steps")) {
                if ("manual".equals(step.path("action").asText())) {
                    done.put(
                            step.get("id").asText(),
                            step.path("output").path("by").asText(null));
                }
            }
        }
        return done;
    }

    static String status(JsonNode job, String step) {
        return Jobs.step(job, step).get("status").asText();
    }

    /** Metric alarms in state OK, like the runbooks' 5xx-rate and latency alarms on a calm day. */
    static List<String> calmAlarms(String prefix) {
        List<String> names = List.of(prefix + "-5xx-rate", prefix + "-p99-latency");
        for (String name : names) {
            CLOUDWATCH.putMetricAlarm(r -> r.alarmName(name)
                    .namespace("Ferry/PlanTest")
                    .metricName(name)
                    .statistic(Statistic.AVERAGE)
                    .period(60)
                    .evaluationPeriods(1)
                    .threshold(5.0)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
            alarm(name, false);
        }
        return names;
    }

    static void alarm(String name, boolean firing) {
        CLOUDWATCH.setAlarmState(r -> r.alarmName(name)
                .stateValue(firing ? StateValue.ALARM : StateValue.OK)
                .stateReason(firing ? "threshold crossed" : "calm"));
    }

    static String secret(String name, Map<String, Object> value) {
        SECRETS.createSecret(r -> r.name(name).secretString(json(value)));
        return name;
    }

    static JsonNode secretValue(String name) {
        try {
            return JSON.readTree(SECRETS.getSecretValue(r -> r.secretId(name)).secretString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A secret shaped as RDS writes them, {@code {username, password, host, port, dbname}}, for a
     * real database on the test server, with a login role of its own that may read {@code public}.
     */
    static String databaseSecret(String name, TestDatabase.Coordinates db) {
        String role =
                "ferry_plan_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String password = "Pw-" + UUID.randomUUID();
        sql(
                db,
                "CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO " + role);
        URI uri = URI.create(db.url().substring("jdbc:".length()));
        return secret(
                name,
                Map.of(
                        "username",
                        role,
                        "password",
                        password,
                        "engine",
                        "postgres",
                        "host",
                        uri.getHost(),
                        "port",
                        uri.getPort(),
                        "dbname",
                        uri.getPath().substring(1)));
    }

    /** {@code public.<table>(id int)} with {@code count} rows. */
    static void rows(TestDatabase.Coordinates db, String table, int count) {
        sql(
                db,
                "CREATE TABLE " + table + " (id int)",
                "INSERT INTO " + table + " SELECT generate_series(1, " + count + ")");
    }

    static void sql(TestDatabase.Coordinates db, String... statements) {
        try (Connection connection = DriverManager.getConnection(db.url(), db.username(), db.password());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
