package dev.ferry.plan;

/**
 * One thing wrong with a plan or with a job's parameters.
 *
 * @param location where, as a path into the document ({@code phases.cutover.steps[0].action}),
 *     or {@code line 3, column 7} for a syntax error
 * @param message what is wrong, for a person
 */
public record PlanProblem(String location, String message) {}
