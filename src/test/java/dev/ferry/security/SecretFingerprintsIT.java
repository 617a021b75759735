package dev.ferry.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.job.NewJob;
import dev.ferry.plan.CanonicalJson;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What Ferry keeps about a request or a check leaks no secret value: preflight findings, which
 * quote what they checked, and the idempotency record, whose hash could otherwise confirm a guess.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretFingerprintsIT extends FerryIT {

    private static final String RULE_PLAN =
            """
            name: %s
            parameters:
              - {name: rule, type: string, secret: true, required: true}
            phases:
              freeze:
                steps:
                  - id: pause-etl
                    action: aws.events.disableRule
                    with: {name: "${params.rule}"}
                    retry: {maxAttempts: 1}
            """;

    @Test
    void preflightFindingsQuoteNoSecretNeitherSealedNorStoredInPlainText(CapturedOutput output) {
        String secret = "no-such-rule-" + UUID.randomUUID();
        UUID job = Jobs.create(
                api(), "olga", Jobs.registerPlan(api(), "secret-preflight", RULE_PLAN), Map.of("rule", secret));
        String sealed =
                jdbc.queryForObject("SELECT parameters ->> 'rule' FROM migration_job WHERE id = ?", String.class, job);

        JsonNode report = preflight(job);
        assertThat(report.get("blocking").asBoolean())
                .as(report.toPrettyString())
                .isTrue();
        assertThat(report.toString())
                .doesNotContain(secret)
                .doesNotContain(sealed)
                .contains("******");

        // A job stored before Ferry had a key holds the value in plain text: still not quoted.
        jdbc.update(
                "UPDATE migration_job SET parameters = jsonb_set(parameters, '{rule}', to_jsonb(?::text)) "
                        + "WHERE id = ?",
                secret,
                job);
        JsonNode again = preflight(job);
        assertThat(again.toString()).doesNotContain(secret).contains("******");
        assertThat(api().get("/api/v1/jobs/" + job).body()).doesNotContain(secret);
        assertThat(api().get("/api/v1/jobs/" + job + "/events?limit=100").body())
                .doesNotContain(secret);
        assertThat(output.getAll()).doesNotContain(secret);
    }

    @Test
    void theIdempotencyHashIsKeyedSoItConfirmsNoGuess() throws Exception {
        String plan = Jobs.registerPlan(api(), "secret-idempotency", RULE_PLAN);
        String secret = "guessable-" + UUID.randomUUID();
        String key = "fingerprint-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("plan", plan, "name", "keyed", "parameters", Map.of("rule", secret));
        Api operator = api().as("olga", "operator").header("Idempotency-Key", key);

        Api.Response created = operator.post("/api/v1/jobs", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String stored =
                jdbc.queryForObject("SELECT request_hash FROM idempotency_key WHERE key = ?", String.class, key);

        // What someone reading the table could compute from a guess of the whole request: no match.
        JsonNode request = new ObjectMapper()
                .valueToTree(
                        new NewJob(plan, null, "keyed", new ObjectMapper().valueToTree(Map.of("rule", secret)), false));
        assertThat(stored).startsWith("hmac-sha256:").doesNotContain(CanonicalJson.sha256(request));
        assertThat(stored).doesNotContain(StaticTokens.sha256(new ObjectMapper().writeValueAsString(body)));

        // The keyed hash still tells a replay from another request under the same key.
        assertThat(operator.post("/api/v1/jobs", body).status()).isEqualTo(200);
        Api.Response other = operator.post(
                "/api/v1/jobs", Map.of("plan", plan, "name", "keyed", "parameters", Map.of("rule", secret + "-other")));
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("type").asText()).endsWith("/idempotency-key-reused");
    }

    private JsonNode preflight(UUID job) {
        Api.Response response = api().as("olga").post("/api/v1/jobs/" + job + "/preflight", null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }
}
