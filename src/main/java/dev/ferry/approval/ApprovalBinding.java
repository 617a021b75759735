package dev.ferry.approval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.job.MigrationJob;
import dev.ferry.plan.CanonicalJson;
import dev.ferry.plan.ParameterBinding;
import dev.ferry.plan.StoredPlan;

/**
 * What an approval is given for: the plan version (its sha256) and the job's parameters as the
 * approver was shown them, i.e. with secret values redacted. Hashing the redacted form keeps the
 * secret out of the approval row (a bare SHA-256 of a short password can be guessed back), and
 * binds the approver to exactly what they could review; rotating a secret's value is not a change
 * they could have reviewed.
 */
public record ApprovalBinding(String planSha256, String parametersSha256) {

    public static ApprovalBinding of(StoredPlan plan, MigrationJob job) {
        ObjectNode parameters =
                job.parameters() instanceof ObjectNode given ? given : JsonNodeFactory.instance.objectNode();
        return new ApprovalBinding(
                plan.sha256(), CanonicalJson.sha256(ParameterBinding.redact(plan.document(), parameters)));
    }
}
