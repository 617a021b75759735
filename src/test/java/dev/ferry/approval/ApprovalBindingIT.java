package dev.ferry.approval;

import static dev.ferry.support.Jobs.awaitState;
import static dev.ferry.support.Jobs.phase;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Separation of duties with real identities: the creator cannot approve, a plan's own approval
 * role is required on top of {@code approver}, N approvals are N people, and an approval counts
 * only for the plan version and the parameters it was given for.
 */
class ApprovalBindingIT extends FerryIT {

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: target, type: string, required: true}
              - {name: dbPassword, type: string, secret: true}
            phases:
              cutover:
                approval: {required: 2, roles: [dba]}
                steps:
                  - {id: switch, action: noop}
            """;

    @Test
    void anApprovalIsBoundToThePlanAndTheParametersItWasGivenFor() {
        Api api = api();
        String plan = Jobs.registerPlan(api, "bound-approvals", PLAN);
        UUID id =
                Jobs.start(api, "alice", plan, Map.of("target", "db-1", "dbPassword", "hunter2-" + UUID.randomUUID()));
        JsonNode awaiting = awaitState(api, id, "AWAITING_APPROVAL");
        String bound = awaiting.get("parametersSha256").asText();
        assertThat(bound).hasSize(64);
        String approve = "/api/v1/jobs/" + id + "/phases/cutover/approve";

        Api.Response own = api.as("alice", "approver", "dba").post(approve, Map.of("comment", "mine"));
        assertThat(own.json().get("type").asText()).endsWith("/separation-of-duties");
        Api.Response notDba = api.as("bob", "approver").post(approve, null);
        assertThat(notDba.status()).isEqualTo(403);
        assertThat(notDba.json().get("type").asText()).endsWith("/approver-role-required");
        Api.Response dbaOnly = api.as("bob", "dba").post(approve, null);
        assertThat(dbaOnly.json().get("type").asText())
                .as("approving needs the approver role")
                .endsWith("/forbidden");

        JsonNode once = api.as("bob", "approver", "dba")
                .post(approve, Map.of("comment", "CHG-7"))
                .json();
        api.as("bob", "approver", "dba").post(approve, Map.of("comment", "again"));
        JsonNode decision =
                phase(once, "CUTOVER").get("approval").get("decisions").get(0);
        assertThat(decision.get("parametersSha256").asText()).isEqualTo(bound);
        assertThat(decision.get("planSha256").asText())
                .isEqualTo(once.get("plan").get("sha256").asText());
        assertThat(phase(Jobs.get(api, id), "CUTOVER")
                        .get("approval")
                        .get("validApprovals")
                        .asInt())
                .as("one person twice is one approval")
                .isEqualTo(1);

        // Nothing in the API changes a job's parameters; a change behind its back voids the approvals given.
        jdbc.update(
                "UPDATE migration_job SET parameters = jsonb_set(parameters, '{target}', '\"db-2\"') WHERE id = ?", id);
        JsonNode changed = Jobs.get(api, id);
        assertThat(changed.get("parametersSha256").asText()).isNotEqualTo(bound);
        assertThat(phase(changed, "CUTOVER")
                        .get("approval")
                        .get("validApprovals")
                        .asInt())
                .isZero();
        assertThat(phase(changed, "CUTOVER")
                        .get("approval")
                        .get("decisions")
                        .get(0)
                        .get("counts")
                        .asBoolean())
                .isFalse();

        api.as("carol", "approver", "dba").post(approve, null);
        assertThat(Jobs.get(api, id).get("state").asText()).isEqualTo("AWAITING_APPROVAL");
        // Bob approves what the job is now: his stale approval is superseded, and the quorum is reached.
        api.as("bob", "approver", "dba").post(approve, Map.of("comment", "re-reviewed db-2"));
        awaitState(api, id, "SUCCEEDED");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM approval WHERE job_id = ? AND superseded_at IS NOT NULL",
                        Integer.class,
                        id))
                .isEqualTo(1);
    }
}
