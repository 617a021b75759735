/**
 * Actions that run inside Ferry itself and touch no AWS account: {@code noop}, {@code wait},
 * {@code http.check} and {@code fail}. Each is an {@link dev.ferry.action.ActionHandler} bean whose
 * parameter schema lives in {@code schemas/actions/<name>.json}. None of them sleeps or keeps state
 * in memory between calls: time comes from {@link dev.ferry.action.ActionContext#now()} and
 * whatever must survive a crash travels in the progress object.
 */
package dev.ferry.action.local;
