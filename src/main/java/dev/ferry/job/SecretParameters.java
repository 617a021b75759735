package dev.ferry.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.plan.ParameterSpec;
import dev.ferry.plan.PlanDocument;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A job's parameters as stored (secret values sealed) and as its steps need them (opened). Only
 * the step runner opens them, just before it resolves a step's templates; views redact them.
 */
@Component
public class SecretParameters {

    private final SecretSealing sealing;

    SecretParameters(ObjectProvider<SecretSealing> sealing) {
        this.sealing = sealing.getIfAvailable(() -> SecretSealing.NONE);
    }

    ObjectNode sealed(UUID jobId, PlanDocument plan, ObjectNode parameters) {
        for (ParameterSpec spec : plan.parameters()) {
            JsonNode value = parameters.get(spec.name());
            if (spec.secret() && value != null && !value.isNull()) {
                sealing.requireKey("The secret parameter '" + spec.name() + "'");
            }
        }
        return map(plan, parameters, value -> sealing.seal(jobId, value));
    }

    ObjectNode opened(MigrationJob job, PlanDocument plan) {
        ObjectNode stored =
                job.parameters() instanceof ObjectNode given ? given : JsonNodeFactory.instance.objectNode();
        return map(plan, stored, value -> sealing.open(job.id(), value));
    }

    private static ObjectNode map(PlanDocument plan, ObjectNode parameters, UnaryOperator<JsonNode> secret) {
        ObjectNode copy = parameters.deepCopy();
        for (ParameterSpec spec : plan.parameters()) {
            JsonNode value = copy.get(spec.name());
            if (spec.secret() && value != null && !value.isNull()) {
                copy.set(spec.name(), secret.apply(value));
            }
        }
        return copy;
    }
}
