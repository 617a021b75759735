package dev.ferry.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One alert, whatever system sent it.
 *
 * @param source who sent it ({@code alertmanager}, {@code generic})
 * @param fingerprint the sender's identity of the incident: the same one again is a repeat
 * @param firing false for a resolved alert, which triggers nothing
 * @param labels labels or dimensions to match jobs' declared {@code alertMatchers}
 * @param jobId an explicit target ({@code ferry_job_id} label), or null
 */
public record Alert(
        String source,
        String fingerprint,
        boolean firing,
        Map<String, String> labels,
        String jobId,
        String summary,
        JsonNode payload) {}
