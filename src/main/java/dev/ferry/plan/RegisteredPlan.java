package dev.ferry.plan;

/**
 * The outcome of {@link PlanCatalog#register}.
 *
 * @param created false when the same document was already registered under this name, and
 *     {@code plan} is that earlier version
 */
public record RegisteredPlan(StoredPlan plan, boolean created) {}
