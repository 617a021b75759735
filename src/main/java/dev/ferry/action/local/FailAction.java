package dev.ferry.action.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionResult;
import dev.ferry.action.DeclaredAction;
import dev.ferry.action.StepParameters;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Fails on purpose, to rehearse retries, pauses and rollbacks. It decides from the attempt number
 * alone, so a crash between calls cannot change the outcome: attempts {@code 1..times} fail, later
 * ones succeed; without {@code times} every attempt fails.
 */
@Component
public class FailAction extends DeclaredAction {

    public static final String NAME = "fail";

    public FailAction() {
        super(NAME);
    }

    static final String DEFAULT_CODE = "INJECTED_FAILURE";

    @Override
    public ActionResult execute(ActionContext context) {
        StepParameters with = new StepParameters(NAME, context.parameters());
        Optional<Integer> times = with.integer("times");
        if (times.isPresent() && times.get() < 0) {
            throw with.invalid("times must not be negative");
        }
        if (times.isEmpty() || context.attempt() <= times.get()) {
            String message = with.text("message")
                    .orElse("injected failure on attempt " + context.attempt()
                            + times.map(t -> " of " + t).orElse(""));
            return ActionResult.failed(
                    with.bool("retryable", true), with.text("code").orElse(DEFAULT_CODE), message);
        }
        return ActionResult.succeeded(JsonNodeFactory.instance.objectNode().put("attempt", context.attempt()));
    }

    @Override
    public String describe(JsonNode parameters) {
        Optional<Integer> times = new StepParameters(NAME, parameters).integer("times");
        return times.map(t -> "Fail the first " + t + " attempt(s), then succeed")
                .orElse("Fail every attempt");
    }
}
