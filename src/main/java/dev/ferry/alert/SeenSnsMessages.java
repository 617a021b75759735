package dev.ferry.alert;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The MessageIds of SNS deliveries Ferry acted on, in PostgreSQL so that a replay is refused by
 * every replica and after a restart. A row is kept until its message would be refused as stale
 * anyway ({@code expires_at}); older rows are deleted as new ones arrive.
 */
@Repository
class SeenSnsMessages {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    SeenSnsMessages(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Whether {@code messageId} was remembered: a cheap check before a signature is verified. */
    boolean seen(String messageId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM sns_message_seen WHERE message_id = ?)", Boolean.class, messageId));
    }

    /**
     * Remembers {@code messageId} until {@code expiresAt}; false if it was already there (two
     * replicas receiving the same message at once: the unique key lets exactly one of them through).
     */
    boolean remember(String messageId, String topic, Instant expiresAt) {
        Instant now = clock.instant();
        jdbc.update("DELETE FROM sns_message_seen WHERE expires_at < ?", Timestamp.from(now));
        return jdbc.update(
                        "INSERT INTO sns_message_seen (message_id, topic_arn, received_at, expires_at) "
                                + "VALUES (?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING",
                        messageId,
                        topic,
                        Timestamp.from(now),
                        Timestamp.from(expiresAt))
                == 1;
    }
}
