package dev.ferry.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One claimed outbox row: the CloudEvent for one target, on its {@code attempt}-th try. The claim
 * token fences the result: a sender whose claim expired and was taken over cannot record it.
 */
public record Delivery(
        UUID id,
        UUID jobId,
        long eventSeq,
        NotificationKind kind,
        String targetKey,
        int attempt,
        long claimToken,
        ObjectNode cloudEvent,
        Instant createdAt) {}
