package dev.ferry.plan;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A plan that passed every check, with the forms it is stored and identified by.
 *
 * @param tree the document as parsed, before defaults
 * @param canonicalJson {@code tree} with keys sorted and no whitespace: what is stored as the
 *     plan's {@code document}
 * @param sha256 hex SHA-256 of {@code canonicalJson}: equal for the same plan in YAML or JSON
 */
public record ParsedPlan(PlanDocument document, JsonNode tree, String canonicalJson, String sha256) {}
