package dev.ferry.action.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionResult;
import dev.ferry.action.DeclaredAction;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * {@code manual}: a runbook line only a person can do ("notify the team", "open the backup with
 * DuckDB"). The step stays RUNNING, shown as waiting for a person, until someone with the step's
 * role completes or declines it over the API; that writes the decision into the step's progress
 * and wakes the step, and this action turns it into the result. Between decisions it only looks
 * once an hour, so a checklist waiting for days costs the database nothing.
 */
@Component
public class ManualAction extends DeclaredAction {

    public static final String NAME = "manual";
    /** The progress field the API writes a person's decision into. */
    public static final String DECISION = "decision";

    public static final String DECLINED = "MANUAL_DECLINED";

    public ManualAction() {
        super(NAME);
    }

    @Override
    public ActionResult execute(ActionContext context) {
        JsonNode decision =
                context.progress() == null ? null : context.progress().get(DECISION);
        if (decision != null && decision.path("completed").asBoolean()) {
            return ActionResult.succeeded(((ObjectNode) decision.deepCopy()).without("completed"));
        }
        if (decision != null) {
            return new ActionResult.Failed(
                    false,
                    DECLINED,
                    decision.path("by").asText() + " declined: "
                            + decision.path("note").asText(),
                    decision.deepCopy());
        }
        ObjectNode waiting = JsonNodeFactory.instance
                .objectNode()
                .put("waitingForPerson", true)
                .put("role", context.parameters().path("role").asText("operator"));
        return ActionResult.inProgress(
                Duration.ofHours(1),
                waiting,
                "waiting for a person (" + waiting.get("role").asText() + "): "
                        + context.parameters().path("title").asText());
    }

    @Override
    public String describe(JsonNode parameters) {
        return "A person with the role " + parameters.path("role").asText("operator") + " does: "
                + parameters.path("title").asText()
                + (parameters.has("evidence") ? " (evidence: " + parameters.get("evidence") + ")" : "");
    }
}
