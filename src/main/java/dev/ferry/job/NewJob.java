package dev.ferry.job;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a caller asks for when creating a job.
 *
 * @param planVersion null for the latest version
 * @param rehearsal the same plan run against staging, to measure its phase durations
 */
public record NewJob(String plan, Integer planVersion, String name, JsonNode parameters, boolean rehearsal) {

    public NewJob(String plan, Integer planVersion, String name, JsonNode parameters) {
        this(plan, planVersion, name, parameters, false);
    }
}
