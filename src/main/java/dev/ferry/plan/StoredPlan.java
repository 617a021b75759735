package dev.ferry.plan;

import java.time.Instant;
import java.util.UUID;

/**
 * A registered plan version.
 *
 * @param document the parsed plan, what jobs execute
 * @param source exactly the text that was registered
 */
public record StoredPlan(
        UUID id,
        String name,
        int version,
        String sha256,
        String description,
        PlanDocument document,
        String source,
        SourceType sourceType,
        boolean builtIn,
        Instant createdAt,
        String createdBy) {}
