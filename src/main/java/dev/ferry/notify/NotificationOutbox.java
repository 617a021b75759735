package dev.ferry.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.job.JobEventListener;
import dev.ferry.job.MigrationJob;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox: for every timeline event people must know about, one row per target
 * that wants it, inserted in the transaction that records the event (so a notification exists if
 * and only if its event committed). Sending is the {@link NotificationDispatcher}'s business; this
 * only writes rows and wakes it after the commit. Never does network I/O.
 */
@Component
class NotificationOutbox implements JobEventListener {

    private static final String INSERT =
            """
            INSERT INTO notification_outbox (id, job_id, event_seq, kind, target, target_type, status, attempts,
                                             next_attempt_at, payload, created_at)
            VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?::jsonb, ?)
            ON CONFLICT (job_id, event_seq, target) DO NOTHING
            """;

    private final NotificationTargets targets;
    private final NotificationProperties properties;
    private final DeliverySignal signal;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    NotificationOutbox(
            NotificationTargets targets,
            NotificationProperties properties,
            DeliverySignal signal,
            JdbcTemplate jdbc,
            ObjectMapper json) {
        this.targets = targets;
        this.properties = properties;
        this.signal = signal;
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public void recorded(MigrationJob job, long seq, Instant at, JobEventDraft draft) {
        Optional<NotificationKind> kind = NotificationKind.of(draft);
        if (kind.isEmpty()) {
            return;
        }
        List<NotificationTarget> wanted = targets.forJob(job.id()).stream()
                .filter(t -> t.accepts(kind.get()))
                .toList();
        if (wanted.isEmpty()) {
            return;
        }
        Map<String, Object> plan = jdbc.queryForMap("SELECT name, version FROM plan WHERE id = ?", job.planId());
        for (NotificationTarget target : wanted) {
            UUID id = UUID.randomUUID();
            ObjectNode event = CloudEvents.build(
                    id,
                    kind.get(),
                    job,
                    (String) plan.get("name"),
                    ((Number) plan.get("version")).intValue(),
                    seq,
                    at,
                    draft,
                    properties.link(job.id()));
            jdbc.update(
                    INSERT,
                    id,
                    job.id(),
                    seq,
                    kind.get().code(),
                    target.key(),
                    target.type().name(),
                    Timestamp.from(at),
                    write(event),
                    Timestamp.from(at));
        }
        wakeAfterCommit();
    }

    private String write(ObjectNode event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void wakeAfterCommit() {
        // Delivered to every replica's listener at commit (and collapsed to one per transaction).
        jdbc.queryForObject("SELECT pg_notify('" + DeliveryWakeups.CHANNEL + "', '')", Object.class);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    signal.wake();
                }
            });
        } else {
            signal.wake();
        }
    }
}
