package dev.ferry.job;

import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionHandler;

/** One call a worker makes, outside any transaction: which handler, with what. */
public record StepCall(ClaimedStep claim, ActionHandler handler, ActionContext context) {
}
