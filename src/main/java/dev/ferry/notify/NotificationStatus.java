package dev.ferry.notify;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What an operator sees of a job's notifications: where they go (never a secret, a URL path or a
 * Slack URL) and every delivery with its state.
 */
public record NotificationStatus(List<Target> targets, List<Outbound> deliveries) {

    /** @param scope {@code global} (configuration) or {@code job} (given at creation) */
    public record Target(String key, String scope, String type, String destination, Set<String> events) {}

    public record Outbound(
            UUID id,
            String kind,
            long eventSeq,
            String target,
            String status,
            int attempts,
            Instant nextAttemptAt,
            String lastError,
            Instant createdAt,
            Instant sentAt) {}
}
