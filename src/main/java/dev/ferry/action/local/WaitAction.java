package dev.ferry.action.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionResult;
import dev.ferry.action.DeclaredAction;
import dev.ferry.action.StepParameters;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.stereotype.Component;

/**
 * Waits for {@code duration} without holding a thread. The deadline is fixed on the first call and
 * kept in the progress object, so a restart or another replica resumes the same wait rather than
 * starting it over.
 */
@Component
public class WaitAction extends DeclaredAction {

    public static final String NAME = "wait";

    public WaitAction() {
        super(NAME);
    }

    static final String UNTIL = "until";

    @Override
    public ActionResult execute(ActionContext context) {
        Instant now = context.now();
        Instant until = deadline(context);
        if (!now.isBefore(until)) {
            ObjectNode output = JsonNodeFactory.instance.objectNode().put("waitedUntil", until.toString());
            return ActionResult.succeeded(output);
        }
        ObjectNode progress = JsonNodeFactory.instance.objectNode().put(UNTIL, until.toString());
        return ActionResult.inProgress(Duration.between(now, until), progress, "waiting until " + until);
    }

    private Instant deadline(ActionContext context) {
        JsonNode stored = context.progress() == null ? null : context.progress().get(UNTIL);
        if (stored != null && stored.isTextual()) {
            try {
                return Instant.parse(stored.textValue());
            } catch (DateTimeParseException e) {
                // Progress is ours; if it is unreadable, restarting the wait is the safe reading.
            }
        }
        Duration duration = new StepParameters(NAME, context.parameters()).duration("duration", null);
        return context.now().plus(duration);
    }

    @Override
    public String describe(JsonNode parameters) {
        return "Wait " + new StepParameters(NAME, parameters).text("duration").orElse("(no duration)");
    }
}
