package dev.ferry.stream;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One timeline entry as streams send it: the fields of {@code GET /jobs/{id}/events} plus the job
 * it belongs to and, for filtering, the job's state and plan when it was read.
 *
 * @param cursor the all-jobs stream position ({@code <tx>-<id>}), sent as the SSE id there
 */
public record StreamEvent(
        UUID jobId,
        long seq,
        Instant at,
        String actor,
        String type,
        String phase,
        String step,
        String from,
        String to,
        String reason,
        JsonNode detail,
        String jobState,
        String plan,
        @JsonIgnore String cursor) {}
