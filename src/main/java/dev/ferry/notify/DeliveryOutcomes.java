package dev.ferry.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.job.JobChange;
import dev.ferry.job.JobLocks;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * Records what became of a delivery: the outbox row and the job's timeline entry change in one
 * job transaction ({@link JobLocks#change}), fenced by the claim token, so the timeline shows
 * exactly the attempts that counted. Notification events map to no notification kind, so
 * recording them never notifies again. A job that has ended takes no more timeline entries (its
 * history is closed): its deliveries are recorded in the outbox row alone, which {@code GET
 * /api/v1/jobs/{id}/notifications} shows.
 */
@Component
class DeliveryOutcomes {

    private final JobLocks locks;
    private final JdbcDeliveryQueue queue;
    private final NotificationProperties.Delivery settings;
    private final MeterRegistry meters;

    DeliveryOutcomes(JobLocks locks, JdbcDeliveryQueue queue, NotificationProperties properties, MeterRegistry meters) {
        this.locks = locks;
        this.queue = queue;
        this.settings = properties.delivery();
        this.meters = meters;
    }

    void sent(Delivery delivery, NotificationTarget target) {
        locks.change(delivery.jobId(), change -> {
            if (queue.sent(delivery, change.now())) {
                record(change, draft(JobEventType.NOTIFICATION_SENT, delivery, target.toString(), target.type()));
                count("sent", target.type());
            }
            return null;
        });
    }

    /** A failed attempt: retried after a backoff, or given up once out of attempts or time. */
    void failed(Delivery delivery, String targetName, TargetType type, DeliveryFailedException failure) {
        locks.change(delivery.jobId(), change -> {
            Instant now = change.now();
            Instant retryAt = now.plus(backoff(delivery.attempt()));
            boolean giveUp = !failure.retryable()
                    || delivery.attempt() >= settings.maxAttempts()
                    || retryAt.isAfter(delivery.createdAt().plus(settings.maxAge()));
            ObjectNode detail = detail(delivery, targetName, type).put("error", failure.getMessage());
            if (giveUp && queue.failed(delivery, failure.getMessage())) {
                record(
                        change,
                        JobEventDraft.of(JobEventType.NOTIFICATION_FAILED, Actor.SYSTEM.name())
                                .reason(failure.getMessage())
                                .detail(detail));
                count("failed", type);
            } else if (!giveUp && queue.retry(delivery, failure.getMessage(), retryAt)) {
                record(
                        change,
                        JobEventDraft.of(JobEventType.NOTIFICATION_ATTEMPT_FAILED, Actor.SYSTEM.name())
                                .reason(failure.getMessage())
                                .detail(detail.put("retryAt", retryAt.toString())));
                count("retried", type);
            }
            return null;
        });
    }

    /** Into the timeline while the job runs; after its end the outbox row is the only record. */
    private static void record(JobChange change, JobEventDraft draft) {
        if (!change.historyClosed()) {
            change.record(draft);
        }
    }

    /** Exponential from the initial backoff, capped, with equal jitter so receivers coming back are not stampeded. */
    Duration backoff(int attempt) {
        long initial = settings.initialBackoff().toMillis();
        long exponential = initial << Math.min(Math.max(attempt - 1, 0), 30);
        long capped = Math.min(
                exponential <= 0 ? Long.MAX_VALUE : exponential,
                settings.maxBackoff().toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    private void count(String outcome, TargetType type) {
        meters.counter(
                        "ferry.notifications",
                        "outcome",
                        outcome,
                        "type",
                        type == null ? "unknown" : type.name().toLowerCase(Locale.ROOT))
                .increment();
    }

    private static JobEventDraft draft(JobEventType type, Delivery delivery, String target, TargetType targetType) {
        return JobEventDraft.of(type, Actor.SYSTEM.name()).detail(detail(delivery, target, targetType));
    }

    private static ObjectNode detail(Delivery delivery, String target, TargetType type) {
        return JsonNodeFactory.instance
                .objectNode()
                .put("notification", delivery.id().toString())
                .put("kind", delivery.kind().code())
                .put("eventSeq", delivery.eventSeq())
                .put("target", target)
                .put("targetType", type == null ? null : type.name().toLowerCase(Locale.ROOT))
                .put("attempt", delivery.attempt());
    }
}
