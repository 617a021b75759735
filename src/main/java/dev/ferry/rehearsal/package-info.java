/**
 * Rehearsals: a job created with {@code rehearsal: true} runs the same plan against staging
 * (other parameters: cluster, file system, region, role). When it succeeds, the time each of its
 * phases ran (from {@code phase_execution.started_at} to {@code finished_at}) becomes the expected
 * duration of that phase for every job of the plan, any version, and a phase whose expected
 * duration is longer than its maintenance window is warned about before anyone relies on it.
 *
 * <p>Which rehearsal counts: the <em>latest</em> succeeded one, named with its job id and end time.
 * Not a median of several: a rehearsal is usually run again because the plan or the estate changed,
 * and an older run would then pull the estimate towards a plan that no longer exists.
 */
package dev.ferry.rehearsal;
