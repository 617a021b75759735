package dev.ferry.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What {@code ${...}} templates may read while a job runs.
 *
 * @param params the job's bound parameters ({@code params.<name>})
 * @param stepOutputs outputs of the steps that have succeeded, by step id ({@code steps.<id>.output})
 */
public record TemplateScope(ObjectNode params, Map<String, JsonNode> stepOutputs, String jobId, String jobName) {

    public TemplateScope {
        stepOutputs = Map.copyOf(stepOutputs);
    }
}
