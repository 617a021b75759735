/**
 * The engine's pure decider: from a {@link dev.ferry.engine.Snapshot} of a job and one
 * {@link dev.ferry.engine.Input} to {@link dev.ferry.engine.Decisions}. No I/O, no Spring, no JPA:
 * the {@code job} package loads the snapshot and writes the decisions in one transaction.
 */
package dev.ferry.engine;
