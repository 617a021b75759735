package dev.ferry.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.support.Api;
import dev.ferry.support.Jobs;
import dev.ferry.support.ServiceProcess;
import dev.ferry.support.TestDatabase;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Separation of duties compares subjects. A static token and a JWT are the same person only where
 * {@code ferry.security.subject-aliases} says so; a JWT that merely shares a static token's subject
 * is refused rather than silently merged with it.
 */
class SubjectAliasesIT {

    private static final String CI_TOKEN = "ci-token-of-alice-0123456789abcdef";
    private static final String SHARED_NAME_TOKEN = "token-of-a-robot-called-mallory-0123";

    @Test
    void anAliasedTokenIsItsPersonAndAnUnaliasedNameIsNotTakenOver() throws Exception {
        ServiceProcess.Spec spec = ServiceProcess.Spec.of(
                "subject-aliases",
                TestDatabase.newDatabase(),
                "ferry.security.tokens[3].subject=ci-alice",
                "ferry.security.tokens[3].roles=operator",
                "ferry.security.tokens[3].sha256=" + StaticTokens.sha256(CI_TOKEN),
                "ferry.security.tokens[4].subject=mallory",
                "ferry.security.tokens[4].roles=viewer",
                "ferry.security.tokens[4].sha256=" + StaticTokens.sha256(SHARED_NAME_TOKEN),
                "ferry.security.subject-aliases.ci-alice=alice");
        try (ServiceProcess service = spec.start()) {
            Api api = service.api();
            String plan = Jobs.registerPlan(api, "aliases", Jobs.ONE_APPROVAL_PLAN);
            Api.Response created = api.bearer(CI_TOKEN).post("/api/v1/jobs", Map.of("plan", plan, "name", "by CI"));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            UUID id = UUID.fromString(created.json().get("id").asText());
            assertThat(created.json().get("createdBy").asText()).isEqualTo("alice");
            assertThat(api.bearer(CI_TOKEN)
                            .post("/api/v1/jobs/" + id + "/start", null)
                            .status())
                    .isEqualTo(200);
            Jobs.awaitState(api.as("dashboard", "viewer"), id, "AWAITING_APPROVAL");

            // Alice's own JWT cannot approve what her CI token created: one person, one subject.
            Api.Response own = api.as("alice", "approver")
                    .post("/api/v1/jobs/" + id + "/phases/cutover/approve", Map.of("comment", "me again"));
            assertThat(own.status()).as(own.toString()).isEqualTo(403);
            assertThat(own.header("Content-Type")).startsWith("application/problem+json");

            // A JWT that only shares a static token's subject is refused, not merged with it.
            Api.Response namesake = api.as("mallory", "approver").get("/api/v1/jobs/" + id);
            assertThat(namesake.status()).isEqualTo(401);
            assertThat(namesake.header("Content-Type")).startsWith("application/problem+json");
            assertThat(Files.readString(service.log())).contains("Refused a JWT for subject mallory");

            assertThat(api.as("bob", "approver")
                            .post("/api/v1/jobs/" + id + "/phases/cutover/approve", Map.of("comment", "ok"))
                            .status())
                    .isEqualTo(200);
            Api viewer = api.as("dashboard", "viewer");
            assertThat(Jobs.awaitState(viewer, id, "SUCCEEDED").get("createdBy").asText())
                    .isEqualTo("alice");
        }
    }
}
