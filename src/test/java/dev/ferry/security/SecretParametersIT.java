package dev.ferry.security;

import static dev.ferry.support.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A parameter declared {@code secret} is used by the steps that need it and shows up nowhere else:
 * not in the job view, the events, a preview, the logs, the metrics, nor in plain text in any table.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretParametersIT extends FerryIT {

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: dbPassword, type: string, secret: true, required: true}
              - {name: target, type: string, required: true}
            phases:
              prepare:
                steps:
                  - {id: connect, action: noop, with: {message: "log in with ${params.dbPassword} to ${params.target}"}}
                  - id: careless
                    action: noop
                    with: {output: {echoed: "${params.dbPassword}", inText: "password=${params.dbPassword};"}}
              cutover:
                approval: {required: 1}
                steps:
                  - {id: switch, action: noop, with: {message: "${params.dbPassword}"}}
                  - {id: broken, action: fail, with: {message: "cannot log in with ${params.dbPassword}"}, retry: {maxAttempts: 1}}
            """;

    @Test
    void aSecretValueAppearsNowhereButWhereItIsUsed(CapturedOutput output) {
        String secret = "pw-" + UUID.randomUUID();
        Api api = api();
        String plan = Jobs.registerPlan(api, "secret-handling", PLAN);
        Map<String, Object> parameters = Map.of("dbPassword", secret, "target", "db.internal");

        Api.Response preview = api.post("/api/v1/plans/" + plan + "/preview", Map.of("parameters", parameters));
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        assertThat(preview.body()).doesNotContain(secret);

        Api.Response created = api.as("alice", "operator")
                .header("Idempotency-Key", "secret-" + UUID.randomUUID())
                .post("/api/v1/jobs", Map.of("plan", plan, "name", "secret handling", "parameters", parameters));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID id = UUID.fromString(created.json().get("id").asText());
        api.as("alice", "operator").post("/api/v1/jobs/" + id + "/start", null);
        awaitState(api, id, "AWAITING_APPROVAL");
        api.as("bob", "approver").post("/api/v1/jobs/" + id + "/phases/cutover/approve", Map.of("comment", "ok"));
        JsonNode paused = awaitState(api, id, "PAUSED");

        // The steps did run with the value; only what is shown and stored about them is redacted.
        assertThat(Jobs.step(paused, "careless").get("output").get("echoed").asText())
                .isEqualTo("******");
        assertThat(paused.get("parameters").get("dbPassword").asText()).isEqualTo("******");
        assertThat(paused.get("parameters").get("target").asText()).isEqualTo("db.internal");

        assertThat(Jobs.step(paused, "connect").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(Jobs.step(paused, "broken").get("error").get("message").asText())
                .isEqualTo("cannot log in with ******");
        // Stored sealed: the steps above could only have seen the value by opening it.
        assertThat(jdbc.queryForObject(
                        "SELECT parameters ->> 'dbPassword' FROM migration_job WHERE id = ?", String.class, id))
                .startsWith("sealed:v1:");

        List<String> leaks = new ArrayList<>();
        check(leaks, "job view", api.get("/api/v1/jobs/" + id).body(), secret);
        check(leaks, "job list", api.get("/api/v1/jobs?limit=50").body(), secret);
        check(
                leaks,
                "events",
                api.get("/api/v1/jobs/" + id + "/events?limit=1000").body(),
                secret);
        check(leaks, "metrics", api.get("/actuator/prometheus").body(), secret);
        for (String table : jdbc.queryForList(
                "SELECT table_name FROM information_schema.tables "
                        + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
                String.class)) {
            Integer rows = jdbc.queryForObject(
                    "SELECT count(*) FROM \"" + table + "\" t WHERE t::text LIKE ?", Integer.class, "%" + secret + "%");
            if (rows != null && rows > 0) {
                leaks.add("table " + table + " (" + rows + " rows)");
            }
        }
        check(leaks, "log output", output.getAll(), secret);
        assertThat(leaks).as("places where the secret value was found").isEmpty();
    }

    private static void check(List<String> leaks, String where, String text, String secret) {
        if (text != null && text.contains(secret)) {
            leaks.add(where);
        }
    }
}
