package dev.ferry.job;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a caller asks for when creating a job.
 *
 * @param planVersion null for the latest version
 */
public record NewJob(String plan, Integer planVersion, String name, JsonNode parameters) {
}
