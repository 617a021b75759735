package dev.ferry.notify;

import dev.ferry.job.JobNotFoundException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads a job's notification targets (redacted) and deliveries. Changes nothing. */
@Service
public class NotificationQueries {

    private static final int MAX_DELIVERIES = 500;

    private final NotificationTargets targets;
    private final JdbcTemplate jdbc;

    NotificationQueries(NotificationTargets targets, JdbcTemplate jdbc) {
        this.targets = targets;
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public NotificationStatus of(UUID jobId) {
        Integer jobs = jdbc.queryForObject("SELECT count(*) FROM migration_job WHERE id = ?", Integer.class, jobId);
        if (jobs == null || jobs == 0) {
            throw new JobNotFoundException(jobId);
        }
        return new NotificationStatus(
                targets.forJob(jobId).stream()
                        .map(t -> new NotificationStatus.Target(
                                t.key(),
                                t.key().startsWith(NotificationTargets.JOB_KEY_PREFIX) ? "job" : "global",
                                t.type().name().toLowerCase(Locale.ROOT),
                                t.destination(),
                                new TreeSet<>(t.events().stream()
                                        .map(NotificationKind::code)
                                        .toList())))
                        .toList(),
                jdbc.query(
                        """
                        SELECT id, kind, event_seq, target, status, attempts, next_attempt_at, last_error, created_at, sent_at
                          FROM notification_outbox WHERE job_id = ? ORDER BY event_seq, target LIMIT ?
                        """,
                        (rs, i) -> new NotificationStatus.Outbound(
                                rs.getObject("id", UUID.class),
                                rs.getString("kind"),
                                rs.getLong("event_seq"),
                                rs.getString("target"),
                                rs.getString("status"),
                                rs.getInt("attempts"),
                                instant(rs.getTimestamp("next_attempt_at")),
                                rs.getString("last_error"),
                                instant(rs.getTimestamp("created_at")),
                                instant(rs.getTimestamp("sent_at"))),
                        jobId,
                        MAX_DELIVERIES));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
