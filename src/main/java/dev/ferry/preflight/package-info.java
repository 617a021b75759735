/**
 * Preflight: what can be known about a job before its window, from where it stands now —
 * parameters and templates, the resources each step and compensation needs, permissions, drift of
 * the stacks the plan checks, resource locks, and whether the maintenance windows and timers can be
 * met. A report with a blocking finding keeps the job from starting. AWS specifics live behind the
 * ports {@link dev.ferry.preflight.PermissionSimulation} and {@link dev.ferry.preflight.StackDrift}.
 */
package dev.ferry.preflight;
