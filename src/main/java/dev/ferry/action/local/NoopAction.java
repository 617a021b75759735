package dev.ferry.action.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionResult;
import dev.ferry.action.DeclaredAction;
import dev.ferry.action.StepParameters;
import org.springframework.stereotype.Component;

/** Does nothing and succeeds at once; its {@code output} lets a plan inject constants for later steps. */
@Component
public class NoopAction extends DeclaredAction {

    public static final String NAME = "noop";

    public NoopAction() {
        super(NAME);
    }

    @Override
    public ActionResult execute(ActionContext context) {
        JsonNode output = new StepParameters(NAME, context.parameters()).node("output");
        // A copy: the output is persisted and must not alias the (templated) parameters.
        return ActionResult.succeeded(output.isObject() ? ((ObjectNode) output).deepCopy() : null);
    }

    @Override
    public boolean compensable() {
        // Nothing was done, so undoing it is nothing as well.
        return true;
    }

    @Override
    public ActionResult compensate(ActionContext context) {
        return ActionResult.succeeded();
    }

    @Override
    public String describe(JsonNode parameters) {
        return new StepParameters(NAME, parameters)
                .text("message")
                .map(message -> "Do nothing: " + message)
                .orElse("Do nothing");
    }
}
