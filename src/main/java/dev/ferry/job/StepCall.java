package dev.ferry.job;

import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionResult;
import dev.ferry.plan.Phase;

/**
 * One call a worker makes, outside any transaction: which handler, with what.
 *
 * @param undo call {@link ActionHandler#compensate} rather than {@link ActionHandler#execute}
 */
public record StepCall(ClaimedStep claim, ActionHandler handler, ActionContext context, boolean undo, Phase phase) {

    public ActionResult invoke() {
        return undo ? handler.compensate(context) : handler.execute(context);
    }
}
