package dev.ferry.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.plan.Phase;

/**
 * An event about to be appended: everything but its sequence number and time, which the job's
 * transaction assigns.
 */
public record JobEventDraft(
        JobEventType type,
        String actor,
        Phase phase,
        String stepId,
        String from,
        String to,
        String reason,
        JsonNode detail) {

    public static JobEventDraft of(JobEventType type, String actor) {
        return new JobEventDraft(type, actor, null, null, null, null, null, JsonNodeFactory.instance.objectNode());
    }

    public JobEventDraft phase(Phase phase) {
        return new JobEventDraft(type, actor, phase, stepId, from, to, reason, detail);
    }

    public JobEventDraft step(Phase phase, String stepId) {
        return new JobEventDraft(type, actor, phase, stepId, from, to, reason, detail);
    }

    public JobEventDraft states(Object from, Object to) {
        // A missing state stays null: String.valueOf would store the word "null".
        return new JobEventDraft(
                type,
                actor,
                phase,
                stepId,
                from == null ? null : String.valueOf(from),
                to == null ? null : String.valueOf(to),
                reason,
                detail);
    }

    public JobEventDraft reason(String reason) {
        return new JobEventDraft(type, actor, phase, stepId, from, to, reason, detail);
    }

    public JobEventDraft detail(JsonNode detail) {
        return new JobEventDraft(type, actor, phase, stepId, from, to, reason, detail);
    }
}
